// audio_transcribe through an in-memory MCP pair against the fake GLM: the multipart form (valid
// against the spec), the audio's bytes reaching GLM, hotwords and prompt, limits checked before
// upload, long transcripts saved to a file.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  FAKE_API_KEY,
  checkAgainstSpec,
  makeToneWav,
  startFakeGlm,
  type FakeGlm,
} from "../fake-glm/index.js";
import { syntheticMp3 } from "../helpers/audio.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
let inputs: string;
beforeAll(async () => {
  fake = await startFakeGlm();
  inputs = mkdtempSync(path.join(os.tmpdir(), "asr-in-"));
});
afterAll(async () => {
  await fake.close();
  rmSync(inputs, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MAX_RETRIES: "0" });
});
afterEach(() => s.close());

const call = (args: Record<string, unknown>) =>
  s.client.callTool({ name: "audio_transcribe", arguments: args }) as Promise<CallToolResult>;
type Sc = Record<string, any>;

function writeInput(name: string, bytes: Buffer): string {
  const p = path.join(inputs, name);
  writeFileSync(p, bytes);
  return p;
}
const sha12 = (b: Buffer) => createHash("sha256").update(b).digest("hex").slice(0, 12);

describe("audio_transcribe", () => {
  it("is listed read-only with its arguments", async () => {
    const { tools } = await s.client.listTools();
    const tool = tools.find((t) => t.name === "audio_transcribe")!;
    expect(tool.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(["audio", "prompt", "hotwords", "model"]);
    expect(tool.description).toMatch(/Do not use for/);
  });

  it("uploads the WAV as multipart (spec-valid) and returns GLM's transcript", async () => {
    const wav = makeToneWav({ durationMs: 2500, sampleRate: 16000 });
    const r = await call({ audio: writeInput("note.wav", wav), hotwords: ["Zhipu"], prompt: "earlier part" });
    expect(r.isError).toBeFalsy();
    const body = fake.requests[0]!.body;
    expect(body).toEqual({
      file: "audio.wav",
      model: "glm-asr-2512",
      stream: false,
      prompt: "earlier part",
      hotwords: ["Zhipu"],
    });
    expect(() => checkAgainstSpec("transcriptions", body)).not.toThrow();
    const sc = r.structuredContent as Sc;
    expect(sc.text).toBe(
      `Fake transcript of 2.5 s of wav audio (sha256 ${sha12(wav)}). hotwords: Zhipu. context: 12 chars.`,
    );
    expect(sc).toMatchObject({
      model: "glm-asr-2512",
      format: "wav",
      duration_s: 2.5,
      id: expect.any(String),
    });
    expect(textOf(r)).toContain(sc.text);
  });

  it("takes MP3 as base64 under another argument name", async () => {
    const mp3 = syntheticMp3(4);
    const r = await call({ audio_base64: mp3.toString("base64") });
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as Sc).text).toContain(`mp3 audio (sha256 ${sha12(mp3)})`);
  });

  it("refuses audio over 30 s before any upload, saying how to split it", async () => {
    const r = await call({
      audio: writeInput("long.wav", makeToneWav({ durationMs: 31_000, sampleRate: 8000 })),
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/over the 30 s .*split it/);
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses what is not audio, and unknown ASR models, before any upload", async () => {
    const r1 = await call({ audio: writeInput("x.wav", Buffer.from("just text, not audio")) });
    expect(r1.isError).toBe(true);
    const r2 = await call({ audio: writeInput("ok.wav", makeToneWav()), model: "glm-4.6v" });
    expect(r2.isError).toBe(true);
    expect(textOf(r2)).toMatch(/glm-asr-2512/);
    expect(fake.requests).toHaveLength(0);
  });

  it("saves a transcript too long for the client to a file and links it", async () => {
    const long = "word ".repeat(20_000);
    fake.answer({ content: long });
    const r = await call({ audio: writeInput("a.wav", makeToneWav()) });
    expect(r.isError).toBeFalsy();
    const sc = r.structuredContent as Sc;
    expect(sc.truncated).toBe(true);
    expect(readFileSync(sc.file, "utf8")).toBe(long.trim());
    expect(r.content.some((c) => c.type === "resource_link")).toBe(true);
  });

  it("maps a GLM failure to one sentence", async () => {
    fake.fail({ kind: "status", status: 429, code: "1302" });
    const r = await call({ audio: writeInput("b.wav", makeToneWav()) });
    expect(r.isError).toBe(true);
    expect(textOf(r).split("\n")).toHaveLength(1);
  });
});
