// A second, independently written acceptance set for issue #13 (beside first-calls.test.ts): realistic first calls, written the way agents guess arguments (other
// names, strings for numbers and lists, OpenAI shapes), against the fake upstream. At least 90% must
// succeed on the first try, and nothing may be dropped silently: every call carrying an argument
// the tool does not know must fail, naming it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  FAKE_API_KEY,
  startFakeGlm,
  startFakeRealtime,
  type FakeGlm,
  type FakeRealtime,
} from "../fake-glm/index.js";
import { toneWav } from "../helpers/audio.js";
import { mp4Bytes, screenshotPng } from "../helpers/media.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let rt: FakeRealtime;
let s: TestSession;
let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  fake = await startFakeGlm();
  rt = await startFakeRealtime({ deltaDelayMs: 1 });
  dir = mkdtempSync(path.join(os.tmpdir(), "first-calls-"));
  writeFileSync(file("error.png"), await screenshotPng(800, 500));
  writeFileSync(file("b.png"), await screenshotPng(400, 300));
  writeFileSync(file("clip.mp4"), mp4Bytes("isom", 16 * 1024));
  writeFileSync(file("notes.md"), "# Notes\nThe deploy failed because the disk was full.\n");
  writeFileSync(file("question.wav"), toneWav({ durationMs: 800 }));
  s = await connect({
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
    GLM_REALTIME_URL: rt.url,
    GLM_MAX_RETRIES: "0",
    GLM_TIMEOUT_MS: "10000",
    GLM_MCP_ALLOW_DIRS: dir,
  });
});
afterAll(async () => {
  await s?.close();
  await fake.close();
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What GLM was sent last (chat requests), to prove an aliased argument arrived. */
const lastChat = () => fake.requests.filter((r) => r.path.endsWith("/chat/completions")).at(-1)?.body;
const lastEmbedInputs = () =>
  fake.requests.filter((r) => r.path.endsWith("/embeddings")).flatMap((r) => [r.body.input].flat());

interface FirstCall {
  tool: string;
  args: Record<string, unknown>;
  /** An argument the tool does not know: the call must fail naming it. */
  junk?: string;
  /** For a misspelling: the canonical name the error must suggest. */
  near?: string;
  /** Proves an argument was used, not dropped (checked only when the call succeeded). */
  check?: (sc: Record<string, any>) => void;
}

const Q = "Explain why this Rust borrow fails: let r = &mut v; v.push(1); r.len();";
const calls = (): FirstCall[] => [
  // glm_reason
  { tool: "glm_reason", args: { prompt: Q } },
  {
    tool: "glm_reason",
    args: { prompt: "Bonjour?", system_prompt: "Answer in French." },
    check: () => expect(lastChat()?.messages[0]).toEqual({ role: "system", content: "Answer in French." }),
  },
  { tool: "glm_reason", args: { question: "What is a monad?" } },
  { tool: "glm_reason", args: { query: "Best way to paginate a SQL table?" } },
  { tool: "glm_reason", args: { task: "Review this plan: shard by user id." } },
  { tool: "glm_reason", args: { input: "Summarise CAP theorem in one line." } },
  { tool: "glm_reason", args: { text: "Is 2^61-1 prime?" } },
  {
    tool: "glm_reason",
    args: { prompt: "Plan a migration.", max_tokens: "2000" },
    check: () => expect(lastChat()?.max_tokens).toBe(2000),
  },
  {
    tool: "glm_reason",
    args: { prompt: "Quick: 7*8?", thinking: "disabled" },
    check: () => expect(lastChat()?.thinking).toEqual({ type: "disabled" }),
  },
  {
    tool: "glm_reason",
    args: { prompt: "Think hard: P vs NP?", thinking: { type: "enabled" } },
    check: () => expect(lastChat()?.thinking).toEqual({ type: "enabled" }),
  },
  { tool: "glm_reason", args: { prompt: "hi", thinking: "false", temperature: "0.2" } },
  {
    tool: "glm_reason",
    args: { prompt: "Which model are you?", model: "GLM-4.7" },
    check: () => expect(lastChat()?.model).toBe("glm-4.7"),
  },
  {
    tool: "glm_reason",
    args: {
      messages: [
        { role: "system", content: "You are a terse code reviewer." },
        { role: "user", content: "Review: for i in range(len(xs)): print(xs[i])" },
      ],
    },
    check: () =>
      expect(lastChat()?.messages).toEqual([
        { role: "system", content: "You are a terse code reviewer." },
        { role: "user", content: "Review: for i in range(len(xs)): print(xs[i])" },
      ]),
  },
  {
    tool: "glm_reason",
    args: {
      messages: [
        { role: "user", content: "Pick a number." },
        { role: "assistant", content: "7" },
        { role: "user", content: [{ type: "text", text: "Double it." }] },
      ],
    },
  },
  { tool: "glm_reason", args: { prompt: "JSON please: {a:1}", response_format: "JSON_OBJECT" } },
  { tool: "glm_reason", args: { prompt: "Explain TCP slow start.", instructions: "Use bullet points." } },
  {
    tool: "glm_reason",
    args: { prompt: "What do these notes say went wrong?", file: file("notes.md") },
    check: () => expect(JSON.stringify(lastChat()?.messages)).toContain("disk was full"),
  },
  { tool: "glm_reason", args: { prompt: "Why?", include_reasoning: "true", max_tokens: 512 } },
  {
    tool: "glm_reason",
    args: { prompt: "Explain Raft.", reasoning_effort: "high" },
    junk: "reasoning_effort",
  },
  {
    tool: "glm_reason",
    args: { prompt: "Explain Paxos.", temprature: 0.3 },
    junk: "temprature",
    near: "temperature",
  },

  // embed_text
  { tool: "embed_text", args: { texts: ["alpha", "beta", "gamma"] } },
  {
    tool: "embed_text",
    args: { query: "fruit", texts: ["apple pie", "car engine", "banana bread"], topK: 2 },
    check: (sc) => expect(sc.ranking).toHaveLength(2),
  },
  { tool: "embed_text", args: { query: "db", texts: ["postgres", "redis", "nginx"], top_k: "1" } },
  {
    tool: "embed_text",
    args: { text: "embed me" },
    check: () => expect(lastEmbedInputs()).toContain("embed me"),
  },
  { tool: "embed_text", args: { input: ["one", "two"] } },
  { tool: "embed_text", args: { documents: ["doc a", "doc b"], query: "doc", k: 1 } },
  { tool: "embed_text", args: { texts: "just one string", dimensions: "512" } },
  { tool: "embed_text", args: { inputs: ["x", "y"], model: "Embedding-3" } },
  { tool: "embed_text", args: { texts: ["a", "b"], output: "none" } },
  { tool: "embed_text", args: { texts: ["a"], normalize: true }, junk: "normalize" },

  // vision_analyze
  { tool: "vision_analyze", args: { image: file("error.png"), prompt: "What error does this show?" } },
  { tool: "vision_analyze", args: { image_path: file("error.png"), prompt: "Read the text." } },
  { tool: "vision_analyze", args: { path: file("error.png"), question: "What is this?" } },
  { tool: "vision_analyze", args: { file: file("error.png"), query: "Describe the layout." } },
  { tool: "vision_analyze", args: { images: file("error.png"), prompt: "Describe." } },
  { tool: "vision_analyze", args: { image_paths: [file("error.png"), file("b.png")], prompt: "Compare." } },
  { tool: "vision_analyze", args: { image: [file("error.png"), file("b.png")], prompt: "Diff them." } },
  { tool: "vision_analyze", args: { image: file("error.png"), prompt: "OCR", thinking: "false" } },
  {
    tool: "vision_analyze",
    args: { image: file("error.png"), prompt: "Zoom", max_tokens: "1024", model: "GLM-4.6V" },
  },
  {
    tool: "vision_analyze",
    args: {
      image: file("error.png"),
      prompt: "Top-right",
      region: { x: 0.5, y: 0, width: 0.5, height: 0.5 },
    },
  },
  {
    tool: "vision_analyze",
    args: { image: file("error.png"), prompt: "Hi", detail: "high" },
    junk: "detail",
  },

  // vision_locate
  {
    tool: "vision_locate",
    args: { image: file("error.png"), targets: ["button", "logo"] },
    check: () => expect(JSON.stringify(lastChat()?.messages)).toContain("button, logo"),
  },
  { tool: "vision_locate", args: { image: file("error.png"), targets: "every submit button" } },
  { tool: "vision_locate", args: { image_path: file("error.png"), target: "the error toast" } },
  { tool: "vision_locate", args: { path: file("error.png"), objects: ["icon"] } },
  {
    tool: "vision_locate",
    args: { image: file("error.png"), labels: ["title", "close button"], annotate: "false" },
  },
  { tool: "vision_locate", args: { image: file("error.png"), query: "text fields", thinking: "disabled" } },
  {
    tool: "vision_locate",
    args: { image: file("error.png"), targets: "x", confidence: 0.5 },
    junk: "confidence",
  },

  // video_understand
  { tool: "video_understand", args: { video: file("clip.mp4"), prompt: "What happens?" } },
  { tool: "video_understand", args: { video_path: file("clip.mp4"), prompt: "Summarise." } },
  { tool: "video_understand", args: { video_url: "https://example.com/demo.mp4", question: "Who speaks?" } },
  { tool: "video_understand", args: { url: "https://example.com/demo.mp4", prompt: "Count the cuts." } },
  {
    tool: "video_understand",
    args: { file: file("clip.mp4"), query: "Any text on screen?", thinking: "false" },
  },
  { tool: "video_understand", args: { video: file("clip.mp4"), prompt: "x", fps: 2 }, junk: "fps" },

  // document_analyze
  { tool: "document_analyze", args: { files: ["https://example.com/report.pdf"], prompt: "Summarise." } },
  { tool: "document_analyze", args: { files: "https://example.com/report.pdf", prompt: "Key numbers?" } },
  { tool: "document_analyze", args: { file: file("notes.md"), prompt: "Why did the deploy fail?" } },
  { tool: "document_analyze", args: { file_path: file("notes.md"), question: "What failed?" } },
  { tool: "document_analyze", args: { documents: ["https://example.com/a.docx"], prompt: "Outline it." } },
  {
    tool: "document_analyze",
    args: { urls: ["https://example.com/a.pdf", "https://example.com/b.pdf"], prompt: "Compare." },
  },
  { tool: "document_analyze", args: { paths: [file("notes.md")], prompt: "Summarise.", max_tokens: "800" } },
  { tool: "document_analyze", args: { files: [file("notes.md")], prompt: "x", pages: "1-3" }, junk: "pages" },

  // voice_reply
  { tool: "voice_reply", args: { text: "Say hello in a cheerful voice." } },
  { tool: "voice_reply", args: { prompt: "Tell me a one-line joke." } },
  { tool: "voice_reply", args: { message: "Read this out: build passed.", instructions: "slowly" } },
  { tool: "voice_reply", args: { audio_path: file("question.wav") } },
  {
    tool: "voice_reply",
    args: { file: file("question.wav"), text: "Answer the question in the recording." },
  },
  { tool: "voice_reply", args: { text: "Hi", system_prompt: "Speak like a pirate.", max_tokens: "512" } },
  { tool: "voice_reply", args: { text: "Hi", voice: "tongtong" }, junk: "voice" },

  // realtime_chat
  { tool: "realtime_chat", args: { text: "Hello there!" } },
  { tool: "realtime_chat", args: { prompt: "What time zone is Beijing in?", voice: "xiaochen" } },
  { tool: "realtime_chat", args: { audio_path: file("question.wav") } },
  { tool: "realtime_chat", args: { message: "Hi", model: "GLM-Realtime-Air", temperature: "0.5" } },
  { tool: "realtime_chat", args: { text: "Hi", system: "Be brief." } },
  { tool: "realtime_chat", args: { text: "Hi", speed: 1.2 }, junk: "speed" },
];

describe("first calls, as agents write them", () => {
  it("at least 90% succeed on the first try, and every unknown argument is an error naming it", async () => {
    const cases = calls();
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.tool)).size).toBe(8);
    const failures: string[] = [];
    let succeeded = 0;
    for (const c of cases) {
      fake.reset();
      const result = (await s.client.callTool({ name: c.tool, arguments: c.args })) as CallToolResult;
      const label = `${c.tool} ${JSON.stringify(c.args).slice(0, 120)}`;
      if (c.junk) {
        expect(result.isError, label).toBe(true);
        expect(textOf(result), label).toContain(`unknown argument \`${c.junk}\``);
        if (c.near) expect(textOf(result), label).toContain(`did you mean \`${c.near}\``);
        continue;
      }
      if (result.isError) {
        failures.push(`${label}: ${textOf(result)}`);
        continue;
      }
      c.check?.(result.structuredContent as Record<string, any>);
      succeeded++;
    }
    const realistic = cases.filter((c) => !c.junk).length;
    const rate = succeeded / realistic;
    console.log(
      `first-try success: ${succeeded}/${realistic} (${(rate * 100).toFixed(1)}%); ` +
        `${cases.length - realistic} calls with an unknown argument all failed loudly`,
    );
    if (failures.length) console.log(failures.join("\n"));
    expect(rate).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
