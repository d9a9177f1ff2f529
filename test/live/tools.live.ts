// Every tool against the REAL GLM platform, with assertions that would catch our guesses about it
// (docs/live-tests.md says where each assumption comes from). Runs only with GLM_LIVE_API_KEY set
// and never in CI: `npm run test:live`. Costs a few fen per run (docs/live-tests.md).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import sharp from "sharp";
import { makePdf, parseWav } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { liveSkipReason } from "./gate.js";

// vitest.live.config.ts selects no file at all when the gate is closed; run directly without a key,
// this suite fails with the gate's reason instead of passing empty.
const closed = liveSkipReason();
if (closed) throw new Error(`live suite not run: ${closed}`);

describe("live: every tool on the real platform", () => {
  let s: TestSession;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "glm-live-"));
    s = await connect({
      GLM_API_KEY: process.env.GLM_LIVE_API_KEY,
      GLM_REGION: process.env.GLM_LIVE_REGION ?? "cn",
      GLM_MAX_RETRIES: "3",
      GLM_MCP_ALLOW_DIRS: dir,
      ...(process.env.HTTPS_PROXY ? { HTTPS_PROXY: process.env.HTTPS_PROXY } : {}),
    });
  });
  afterAll(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const r = (await s.client.callTool({ name, arguments: args })) as CallToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
    return r.structuredContent as Record<string, any>;
  };

  /** A saved WAV is playable: a RIFF/WAVE header whose data length matches the reported duration. */
  const expectPlayableWav = (audio: { path: string; duration_s: number; sample_rate: number }) => {
    const wav = parseWav(readFileSync(audio.path));
    expect(wav, "not a RIFF/WAVE file").toBeDefined();
    expect(wav!.sampleRate).toBe(audio.sample_rate);
    expect(Math.abs(wav!.durationSec - audio.duration_s)).toBeLessThan(0.05);
  };

  it("vision_locate finds a drawn rectangle within 3% (proves the 0–1000 box convention)", async () => {
    // Not square, so a box read as pixels or as 0–1 fractions instead of 0–1000 lands far off.
    const [W, H, box] = [1200, 700, { x: 720, y: 210, width: 300, height: 260 }];
    const red = await sharp({
      create: { width: box.width, height: box.height, channels: 3, background: "#e01010" },
    })
      .png()
      .toBuffer();
    const image = await sharp({ create: { width: W, height: H, channels: 3, background: "#ffffff" } })
      .composite([{ input: red, left: box.x, top: box.y }])
      .png()
      .toBuffer();
    const file = path.join(dir, "rect.png");
    writeFileSync(file, image);
    const r = await call("vision_locate", { image: file, targets: "the red rectangle", annotate: false });
    expect(r.objects.length).toBeGreaterThanOrEqual(1);
    const got = r.objects[0].box as typeof box;
    expect(Math.abs(got.x - box.x) / W).toBeLessThan(0.03);
    expect(Math.abs(got.y - box.y) / H).toBeLessThan(0.03);
    expect(Math.abs(got.x + got.width - (box.x + box.width)) / W).toBeLessThan(0.03);
    expect(Math.abs(got.y + got.height - (box.y + box.height)) / H).toBeLessThan(0.03);
  });

  it("glm_reason on glm-5.3 (always thinks): thinking: false is dropped with a note, and GLM answers", async () => {
    // Issue #22: GLM answers 1210 when a request turns GLM-5.3's thinking off; the catalog never sends it.
    const args = { model: "glm-5.3", prompt: "Reply with the single word: ready", thinking: false };
    const r = (await s.client.callTool({ name: "glm_reason", arguments: args })) as CallToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
    expect((r.structuredContent as Record<string, unknown>).model).toBe("glm-5.3");
    expect(textOf(r)).toMatch(/ready/i);
    expect(textOf(r)).toMatch(/think/i);
  });

  it("vision_analyze on glm-5.3-flash (the official vision server's default) reads an image", async () => {
    const file = path.join(dir, "green.png");
    writeFileSync(
      file,
      await sharp({ create: { width: 160, height: 90, channels: 3, background: "#10c040" } })
        .png()
        .toBuffer(),
    );
    const r = await call("vision_analyze", {
      image: file,
      model: "glm-5.3-flash",
      prompt: "One word: the colour?",
    });
    expect(r.model).toBe("glm-5.3-flash");
    expect(String(r.answer)).toMatch(/green/i);
  });

  it("video_understand describes a public clip GLM fetches itself (URL passed as-is)", async () => {
    // Big Buck Bunny, 10 s, the W3Schools sample: a cartoon rabbit in a meadow.
    const r = await call("video_understand", {
      video: "https://www.w3schools.com/html/mov_bbb.mp4",
      prompt: "In one sentence: what animal is the main character?",
      model: "glm-4.6v-flash",
    });
    expect(r.video).toMatchObject({ source_kind: "url", sent_as: "url" });
    expect(String(r.answer)).toMatch(/rabbit|bunny|hare/i);
  });

  it("voice_reply returns playable audio of plausible duration", async () => {
    const r = await call("voice_reply", { text: "Read this sentence aloud exactly: the build is green." });
    // Six words read aloud: about 1–3 s; under 0.5 s means chunks were lost, over 30 s means garbage.
    expect(r.audio.duration_s).toBeGreaterThan(0.5);
    expect(r.audio.duration_s).toBeLessThan(30);
    expectPlayableWav(r.audio);
  });

  it("embed_text returns unit-length vectors of the asked dimension", async () => {
    const r = await call("embed_text", {
      texts: ["retry with exponential backoff", "the cat sat on the mat"],
      dimensions: 256,
      output: "inline",
    });
    expect(r.dimensions).toBe(256);
    expect(r.embeddings).toHaveLength(2);
    for (const v of r.embeddings as number[][]) {
      expect(v).toHaveLength(256);
      expect(Math.hypot(...v)).toBeCloseTo(1, 3);
    }
  });

  it("glm_reason with json_object returns parseable JSON", async () => {
    const r = await call("glm_reason", {
      model: "glm-4.7-flash",
      prompt: 'Return a JSON object {"city": <the capital of France>, "count": 3} and nothing else.',
      response_format: "json_object",
      thinking: false,
    });
    expect(r.data).toMatchObject({ count: 3 });
    expect(String(r.data.city)).toMatch(/paris/i);
  });

  it("realtime_chat: a text turn returns audio", async () => {
    const r = await call("realtime_chat", { text: "Say hello in one short sentence." });
    expect(r.status).toBe("completed");
    expect(r.audio.duration_s).toBeGreaterThan(0.3);
    expect(r.audio.sample_rate).toBe(24_000);
    expectPlayableWav(r.audio);
  });

  it("realtime_chat: auto_search reports the platform's search event for a current-facts question", async () => {
    const r = await call("realtime_chat", {
      text: "Search the web: what is today's weather in Beijing? One sentence.",
      auto_search: true,
    });
    expect(r.status).toBe("completed");
    // The simple_browser event shape is from the seed doc only: this proves it.
    expect(r.searches?.length, "no response.function_call.simple_browser event arrived").toBeGreaterThan(0);
    expect(typeof r.searches[0].description).toBe("string");
  });

  it("vision_analyze task ui_diff: a system instruction and two images are accepted", async () => {
    const [a, b] = [path.join(dir, "expected.png"), path.join(dir, "actual.png")];
    const square = (colour: string) =>
      sharp({ create: { width: 200, height: 120, channels: 3, background: colour } })
        .png()
        .toBuffer();
    writeFileSync(a, await square("#1060e0"));
    writeFileSync(b, await square("#e01010"));
    const r = await call("vision_analyze", {
      images: [a, b],
      task: "ui_diff",
      prompt: "Name the background colour of each image, expected first.",
      model: "glm-4.6v-flash",
      thinking: false,
    });
    expect(r.task).toBe("ui_diff");
    expect(r.answer).toMatch(/blue/i);
    expect(r.answer).toMatch(/red/i);
  });

  it("document_analyze parses a generated local PDF through the file parser", async () => {
    const file = path.join(dir, "memo.pdf");
    writeFileSync(
      file,
      makePdf(["Internal memo", "The code word for this test is PELICAN-42."], { compress: true }),
    );
    const r = await call("document_analyze", {
      files: [file],
      prompt: "What is the code word in this memo? Answer with the code word only.",
      model: "glm-4.6v-flash",
      thinking: false,
    });
    expect(r.files[0]).toMatchObject({ source: "memo.pdf", sent_as: "parsed", format: "pdf" });
    expect(r.answer).toMatch(/PELICAN-42/);
  });

  it("web_search returns ranked results with real urls on the asked site", async () => {
    const r = await call("web_search", { query: "Node.js http module", count: 3, domain: "nodejs.org" });
    expect(r.results.length).toBeGreaterThanOrEqual(1);
    expect(r.results.length).toBeLessThanOrEqual(3);
    for (const hit of r.results as { url: string; title: string }[]) {
      expect(new URL(hit.url).protocol).toMatch(/^https?:$/);
      expect(hit.title.length).toBeGreaterThan(0);
    }
  });

  it("web_read returns example.com as markdown with its title", async () => {
    const r = await call("web_read", { url: "https://example.com/" });
    expect(r.content).toMatch(/Example Domain/);
    expect(r.truncated).toBe(false);
  });

  it("image_generate downloads GLM's image whole at the asked size (cogview-3-flash, free)", async () => {
    const r = await call("image_generate", {
      prompt: "A flat blue circle on a white background, simple icon",
      model: "cogview-3-flash",
      size: "768x1344",
    });
    expect(r.url).toMatch(/^https:\/\//);
    const meta = await sharp(readFileSync(r.image.path)).metadata();
    expect([meta.width, meta.height]).toEqual([768, 1344]);
    expect(r.image).toMatchObject({ width: 768, height: 1344 });
  });

  it("audio_transcribe hears the words voice_reply spoke (multipart upload to GLM-ASR)", async () => {
    const spoken = await call("voice_reply", { text: "Read this aloud exactly: the pelican is green." });
    const r = await call("audio_transcribe", { audio: spoken.audio.path, hotwords: ["pelican"] });
    expect(r.model).toMatch(/glm-asr/);
    expect(r.text.toLowerCase()).toMatch(/pelican/);
    expect(r.text.toLowerCase()).toMatch(/green/);
  });

  it("document_analyze reads a rendered page image through GLM-OCR (layout_parsing), table included", async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="400"><rect width="100%" height="100%" fill="#fff"/>
      <text x="40" y="70" font-size="40" font-family="sans-serif">Invoice OTTER-77</text>
      <text x="40" y="160" font-size="32" font-family="sans-serif">Item        Price</text>
      <text x="40" y="220" font-size="32" font-family="sans-serif">Green tea   3.50</text></svg>`;
    const file = path.join(dir, "invoice.png");
    writeFileSync(file, await sharp(Buffer.from(svg)).png().toBuffer());
    const r = await call("document_analyze", {
      files: [file],
      mode: "ocr",
      prompt: "What is the invoice code? Answer with the code only.",
      model: "glm-4.6v-flash",
      thinking: false,
    });
    expect(r.files[0]).toMatchObject({ source: "invoice.png", sent_as: "ocr", format: "png" });
    expect(readFileSync(r.files[0].markdown_file, "utf8")).toMatch(/OTTER-77/);
    expect(r.answer).toMatch(/OTTER-77/);
  });

  it("embed_text rerank: one /rerank call reorders the candidates and reports both scores", async () => {
    const r = await call("embed_text", {
      texts: [
        "The cat sat on the mat.",
        "Retry HTTP 429 with exponential backoff and jitter.",
        "Bake bread at 220 °C.",
      ],
      query: "how should a client back off after rate limiting?",
      top_k: 2,
      rerank: true,
      dimensions: 256,
    });
    expect(r.rerank).toMatchObject({ model: "rerank", candidates: 3 });
    expect(r.rerank.error).toBeUndefined();
    expect(r.ranking[0]).toMatchObject({
      index: 1,
      rerank_score: expect.any(Number),
      score: expect.any(Number),
    });
  });
});
