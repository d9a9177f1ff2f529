// Prompts: each fills a call of a registered tool with arguments that pass that tool's inputSchema.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { createAppContext } from "../../src/state/context.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROMPTS } from "../../src/server/prompts/catalog.js";
import { VISION_TASK_SPECS } from "../../src/tools/vision-tasks.js";
import { solid } from "../helpers/media.js";
import { registerPrompts } from "../../src/server/prompts/index.js";
import { registerTool } from "../../src/tools/define-tool.js";
import { glmReasonTool } from "../../src/tools/glm-reason.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, testConfig, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
});
afterAll(async () => {
  await s.close();
  await fake.close();
});
afterEach(() => fake.reset());

const SAMPLE: Record<string, string> = {
  image: "/tmp/screen.png",
  focus: "the toolbar",
  framework: "React + Tailwind",
  context: "running npm test",
  targets: "the Save button",
  video: "https://example.com/demo.mp4",
  file: "https://example.com/spec.pdf",
  question: "Is this lock-free queue correct?",
  query: "retry with backoff",
  snippets: "exponential backoff with jitter\nthe cat sat on the mat\n",
  image_source: "/tmp/chart.png",
  expected_image_source: "/tmp/expected.png",
  actual_image_source: "/tmp/actual.png",
  output_type: "spec",
};

function toolCallOf(text: string): { tool: string; args: Record<string, unknown> } {
  const tool = /Call the `([a-z_]+)` tool/.exec(text)?.[1];
  const json = /```json\n([\s\S]*?)\n```/.exec(text)?.[1];
  if (!tool || !json) throw new Error(`prompt text does not name a tool call: ${text}`);
  return { tool, args: JSON.parse(json) as Record<string, unknown> };
}

describe("prompts", () => {
  it("offers exactly the catalog prompts whose tool is registered", async () => {
    const tools = new Set((await s.client.listTools()).tools.map((t) => t.name));
    const { prompts } = await s.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(
      PROMPTS.filter((p) => tools.has(p.tool))
        .map((p) => p.name)
        .sort(),
    );
    // The named jobs from the issue, for the tools that exist.
    for (const [name, tool] of [
      ["describe-screenshot", "vision_analyze"],
      ["ui-to-code", "vision_analyze"],
      ["explain-error-screenshot", "vision_analyze"],
      ["summarize-video", "video_understand"],
      ["second-opinion", "glm_reason"],
      ["review-changes", "glm_reason"],
      ["explain-module", "glm_reason"],
    ]) {
      if (tools.has(tool!)) expect(prompts.map((p) => p.name)).toContain(name);
    }
    for (const p of prompts) {
      expect(p.title).toBeTruthy();
      expect(p.description).toMatch(/fills a [a-z_]+ call/);
      expect(p.arguments?.some((a) => a.required)).toBe(true);
    }
  });

  it("each prompt's filled call passes its tool's inputSchema", async () => {
    const tools = new Map((await s.client.listTools()).tools.map((t) => [t.name, t]));
    const validator = new AjvJsonSchemaValidator();
    const { prompts } = await s.client.listPrompts();
    expect(prompts.length).toBeGreaterThan(0);
    for (const p of prompts) {
      const args = Object.fromEntries(
        (p.arguments ?? []).map((a) => [a.name, SAMPLE[a.name] ?? `sample ${a.name}`]),
      );
      const r = await s.client.getPrompt({ name: p.name, arguments: args });
      expect(r.messages).toHaveLength(1);
      const msg = r.messages[0]!;
      expect(msg.role).toBe("user");
      const text = (msg.content as { type: string; text: string }).text;
      const call = toolCallOf(text);
      const tool = tools.get(call.tool);
      expect(tool, `${p.name} -> ${call.tool}`).toBeDefined();
      const check = validator.getValidator(tool!.inputSchema as never)(call.args);
      expect(check.valid, `${p.name}: ${check.errorMessage}`).toBe(true);
      // Every required prompt argument reaches the call.
      for (const a of (p.arguments ?? []).filter((x) => x.required))
        expect(JSON.stringify(call.args)).toContain(JSON.stringify(args[a.name]).slice(1, 12));
    }
  });

  it("rank-by-meaning splits snippets one per line", async () => {
    const { prompts } = await s.client.listPrompts();
    if (!prompts.some((p) => p.name === "rank-by-meaning"))
      throw new Error("embed_text is registered, so rank-by-meaning must be offered");
    const r = await s.client.getPrompt({
      name: "rank-by-meaning",
      arguments: { query: "q", snippets: " a \n\nb\r\nc" },
    });
    expect(toolCallOf((r.messages[0]!.content as { text: string }).text).args).toEqual({
      texts: ["a", "b", "c"],
      query: "q",
    });
  });

  it("a filled second-opinion call runs against GLM as is", async () => {
    const r = await s.client.getPrompt({
      name: "second-opinion",
      arguments: { question: "Is 0.1 + 0.2 === 0.3 in JS?" },
    });
    const call = toolCallOf((r.messages[0]!.content as { text: string }).text);
    const res = await s.client.callTool({ name: call.tool, arguments: call.args });
    expect(res.isError).toBeFalsy();
    expect(fake.requests).toHaveLength(1);
    expect(JSON.stringify(fake.requests[0]!.body.messages)).toContain("0.1 + 0.2 === 0.3");
  });

  it("offers each official Z.AI task tool as a prompt of the same name and arguments", async () => {
    const { prompts } = await s.client.listPrompts();
    const args = (name: string) => prompts.find((p) => p.name === name)?.arguments?.map((a) => a.name);
    expect(args("ui_to_artifact")).toEqual(["image_source", "output_type", "prompt"]);
    expect(args("extract_text_from_screenshot")).toEqual(["image_source", "prompt", "programming_language"]);
    expect(args("diagnose_error_screenshot")).toEqual(["image_source", "prompt", "context"]);
    expect(args("understand_technical_diagram")).toEqual(["image_source", "prompt", "diagram_type"]);
    expect(args("analyze_data_visualization")).toEqual(["image_source", "prompt", "analysis_focus"]);
    expect(args("ui_diff_check")).toEqual(["expected_image_source", "actual_image_source", "prompt"]);
  });

  it("a filled ui_diff_check call sends both images and the task's instruction to GLM", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "glm-prompts-"));
    try {
      const [expected, actual] = [path.join(dir, "e.png"), path.join(dir, "a.png")];
      writeFileSync(expected, await solid(40, 30, "#ffffff", "png"));
      writeFileSync(actual, await solid(40, 30, "#000000", "png"));
      const r = await s.client.getPrompt({
        name: "ui_diff_check",
        arguments: { expected_image_source: expected, actual_image_source: actual, prompt: "Colours only." },
      });
      const call = toolCallOf((r.messages[0]!.content as { text: string }).text);
      expect(call.args).toEqual({ images: [expected, actual], task: "ui_diff", prompt: "Colours only." });
      const res = await s.client.callTool({ name: call.tool, arguments: call.args });
      expect(res.isError).toBeFalsy();
      const [system, user] = fake.requests[0]!.body.messages;
      expect(system).toEqual({ role: "system", content: VISION_TASK_SPECS.ui_diff.instruction });
      expect(user.content.filter((p: { type: string }) => p.type === "image_url")).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("official hint arguments are appended to the prompt the way the official tools append them", async () => {
    const text = async (name: string, args: Record<string, string>) =>
      toolCallOf(
        ((await s.client.getPrompt({ name, arguments: args })).messages[0]!.content as { text: string }).text,
      ).args;
    expect(
      await text("extract_text_from_screenshot", { image_source: "/x.png", programming_language: "python" }),
    ).toEqual({ image: "/x.png", task: "extract_text", prompt: "The code is in python." });
    expect(await text("analyze_data_visualization", { image_source: "/x.png" })).toEqual({
      image: "/x.png",
      task: "data_visualization",
    });
    expect(
      (await text("ui_to_artifact", { image_source: "/x.png", output_type: "spec", prompt: "Dark theme." }))
        .prompt,
    ).toBe("Write a design specification of this UI (layout, components, design tokens).\n\nDark theme.");
  });

  it("a missing required argument is rejected", async () => {
    await expect(s.client.getPrompt({ name: "second-opinion", arguments: {} })).rejects.toThrow(/question/);
  });

  it("a server without a prompt's tool does not offer that prompt", async () => {
    const ctx = createAppContext(testConfig({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl }));
    const server = new McpServer({ name: "t", version: "1" }, { capabilities: { prompts: {} } });
    registerTool(server, { ctx, listRoots: async () => ({ dirs: [] }) }, glmReasonTool);
    registerPrompts(server);
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "c", version: "1" });
    await server.connect(b);
    await client.connect(a);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["second-opinion", "review-changes", "explain-module"]);
    await client.close();
  });
});
