// vision_analyze's `task`: the official Z.AI server's six task tools as one argument. Each task's
// instruction must reach GLM as the system message, ui_diff must send two images, and calls from
// before `task` existed (a sentence as `task`) must keep meaning `prompt`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { VISION_TASK_SPECS, VISION_TASKS } from "../../src/tools/vision-tasks.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { solid } from "../helpers/media.js";

let fake: FakeGlm;
let s: TestSession;
let dir: string;
let a: string;
let b: string;

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = mkdtempSync(path.join(os.tmpdir(), "glm-vision-tasks-"));
  a = path.join(dir, "expected.png");
  b = path.join(dir, "actual.png");
  writeFileSync(a, await solid(40, 30, "#3366cc", "png"));
  writeFileSync(b, await solid(40, 30, "#cc6633", "png"));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
});
afterEach(() => s.close());

const call = (args: Record<string, unknown>) =>
  s.client.callTool({ name: "vision_analyze", arguments: args }) as Promise<CallToolResult>;
type Msg = { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] };
const messages = () => fake.requests.at(-1)!.body.messages as Msg[];
const userParts = () => messages().find((m) => m.role === "user")!.content as Exclude<Msg["content"], string>;
const userText = () => userParts().find((p) => p.type === "text")!.text;
const imageCount = () => userParts().filter((p) => p.type === "image_url").length;

describe("vision_analyze task", () => {
  it.each(VISION_TASKS.map((t) => [t]))("%s sends its instruction as the system message", async (task) => {
    const spec = VISION_TASK_SPECS[task];
    const images = spec.images === 2 ? [a, b] : [a];
    const r = await call({ images, task });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(fake.requests).toHaveLength(1);
    expect(messages()[0]).toEqual({ role: "system", content: spec.instruction });
    // No prompt given: the task's own request is the user text.
    expect(userText()).toBe(spec.defaultPrompt);
    expect(imageCount()).toBe(images.length);
    expect((r.structuredContent as { task?: string }).task).toBe(task);
  });

  it("ui_diff sends the expected image first and the actual second, with the caller's prompt", async () => {
    const r = await call({ images: [a, b], task: "ui_diff", prompt: "Check the header only." });
    expect(r.isError, textOf(r)).toBeFalsy();
    const urls = userParts()
      .filter((p) => p.type === "image_url")
      .map((p) => p.image_url!.url);
    expect(urls).toHaveLength(2);
    expect(urls[0]).not.toBe(urls[1]);
    expect(userText()).toBe("Check the header only.");
    expect(messages()[0]!.content).toMatch(/FIRST image is the EXPECTED/);
  });

  it("ui_diff with one image is refused before GLM is called", async () => {
    const r = await call({ image: a, task: "ui_diff" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/exactly 2 images and 1 was given/);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ["extract_text_from_screenshot", "extract_text"],
    ["diagnose_error_screenshot", "diagnose_error"],
    ["understand_technical_diagram", "technical_diagram"],
    ["analyze_data_visualization", "data_visualization"],
    ["OCR", "extract_text"],
    ["UI-to-Artifact", "ui_to_artifact"],
  ] as const)("accepts the official or short name %s as task %s", async (given, task) => {
    const r = await call({ image_source: a, task: given, prompt: "Go." });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(messages()[0]).toEqual({ role: "system", content: VISION_TASK_SPECS[task].instruction });
    expect((r.structuredContent as { task?: string }).task).toBe(task);
  });

  it("a sentence given as task (a call from before task existed) is the prompt, with no instruction", async () => {
    const r = await call({ image: a, task: "What colour is this square?" });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(messages().map((m) => m.role)).toEqual(["user"]);
    expect(userText()).toBe("What colour is this square?");
    expect(r.structuredContent).not.toHaveProperty("task");
  });

  it("an unknown one-word task is refused with the valid values", async () => {
    const r = await call({ image: a, task: "translate", prompt: "Go." });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/task/);
    expect(textOf(r)).toMatch(/extract_text/);
    expect(fake.requests).toHaveLength(0);
  });

  it("neither prompt nor task is refused with one actionable sentence", async () => {
    const r = await call({ image: a });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/No `prompt` given.*`task`/);
    expect(fake.requests).toHaveLength(0);
  });
});
