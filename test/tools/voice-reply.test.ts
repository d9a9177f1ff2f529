// voice_reply through an in-memory MCP pair against the fake GLM: exact glm-4-voice request
// bodies, the saved WAV, multi-turn audio ids, and failures that leave no files behind.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, makeToneWav, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { filesIn, readCanonicalWav, syntheticMp3, toneWav } from "../helpers/audio.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
let inputs: string;
beforeAll(async () => {
  fake = await startFakeGlm();
  inputs = mkdtempSync(path.join(os.tmpdir(), "voice-in-"));
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

const call = (args: Record<string, unknown>, extra: Parameters<TestSession["client"]["callTool"]>[2] = {}) =>
  s.client.callTool({ name: "voice_reply", arguments: args }, undefined, extra) as Promise<CallToolResult>;

function writeInput(name: string, bytes: Buffer): string {
  const p = path.join(inputs, name);
  writeFileSync(p, bytes);
  return p;
}

type Sc = Record<string, any>;

/** Checks the saved file is a valid WAV whose header matches its data, and returns it. */
function checkSavedWav(sc: Sc, expected: { sampleRate: number; channels: number }) {
  const file = readFileSync(sc.audio.path);
  const h = readCanonicalWav(file);
  expect(h.format).toBe(1);
  expect(h.sampleRate).toBe(expected.sampleRate);
  expect(h.channels).toBe(expected.channels);
  expect(h.bitsPerSample).toBe(16);
  expect(h.blockAlign).toBe(expected.channels * 2);
  expect(h.byteRate).toBe(expected.sampleRate * expected.channels * 2);
  expect(h.dataSize).toBe(file.length - 44);
  expect(h.riffSize).toBe(file.length - 8);
  expect(sc.audio.bytes).toBe(file.length);
  expect(sc.audio.duration_s).toBeCloseTo(h.dataSize / h.byteRate, 3);
  expect(sc.audio.sample_rate).toBe(expected.sampleRate);
  return { file, header: h };
}

describe("voice_reply", () => {
  it("is listed with annotations and input/output schemas", async () => {
    const { tools } = await s.client.listTools();
    const tool = tools.find((t) => t.name === "voice_reply")!;
    expect(tool.annotations).toMatchObject({ openWorldHint: true, idempotentHint: false });
    expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual([
      "text",
      "audio",
      "instructions",
      "conversation_id",
      "max_tokens",
      "temperature",
      "inline_audio",
    ]);
    expect(tool.outputSchema?.properties).toHaveProperty("audio");
    expect(tool.description).toMatch(/Use when/);
    expect(tool.description).toMatch(/Do not use for/);
  });

  it("text only: streams glm-4-voice and saves the spoken reply as a valid WAV", async () => {
    const r = await call({ text: "Say hello" });
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-4-voice",
      messages: [{ role: "user", content: [{ type: "text", text: "Say hello" }] }],
      stream: true,
    });
    const sc = r.structuredContent as Sc;
    expect(sc.model).toBe("glm-4-voice");
    expect(sc.text).toBe("Echo: Say hello");
    expect(sc.usage.total_tokens).toBeGreaterThan(0);
    const { file } = checkSavedWav(sc, { sampleRate: 44100, channels: 1 });
    // The fake's reply is a 0.5 s tone: the file is exactly what GLM sent.
    expect(file.equals(makeToneWav({ durationMs: 500 }))).toBe(true);
    expect(sc.audio.duration_s).toBe(0.5);
    const link = r.content.find((c) => c.type === "resource_link") as Sc;
    expect(link).toMatchObject({ uri: sc.audio.uri, name: sc.audio.name, mimeType: "audio/wav" });
    expect(sc.audio.uri).toBe(`glm://output/${sc.audio.name}`);
    expect(r.content.some((c) => c.type === "audio")).toBe(false);
    expect(textOf(r)).toContain(sc.audio.path);
  });

  it("audio only: sends a test-generated WAV from a path as bare base64 input_audio", async () => {
    const wav = toneWav({ durationMs: 1500, sampleRate: 16000 });
    const r = await call({ audio: writeInput("question.wav", wav) });
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.body.messages).toEqual([
      {
        role: "user",
        content: [{ type: "input_audio", input_audio: { data: wav.toString("base64"), format: "wav" } }],
      },
    ]);
    // 1.5 s of input audio = ceil(1.5 * 12.5) tokens in the fake's prompt count.
    expect((r.structuredContent as Sc).usage.prompt_tokens).toBeGreaterThanOrEqual(19);
  });

  it("text + audio (data: URI) + instructions + sampling, exactly as sent", async () => {
    const wav = toneWav({ durationMs: 300, sampleRate: 8000, channels: 2 });
    const r = await call({
      text: "Repeat this slowly",
      audio: `data:audio/wav;base64,${wav.toString("base64")}`,
      instructions: "Speak cheerfully in Cantonese",
      max_tokens: 512,
      temperature: 0.3,
    });
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-4-voice",
      messages: [
        { role: "system", content: "Speak cheerfully in Cantonese" },
        {
          role: "user",
          content: [
            { type: "text", text: "Repeat this slowly" },
            { type: "input_audio", input_audio: { data: wav.toString("base64"), format: "wav" } },
          ],
        },
      ],
      max_tokens: 512,
      temperature: 0.3,
      stream: true,
    });
  });

  it("sniffs MP3 from the bytes, whatever the name or form", async () => {
    const mp3 = syntheticMp3(2);
    const r1 = await call({ audio: mp3.toString("base64") });
    expect(r1.isError).toBeFalsy();
    expect(fake.requests[0]!.body.messages[0].content[0].input_audio.format).toBe("mp3");
    // An MP3 saved under a .wav name is still sent as mp3 (the fake checks the bytes match the format).
    const r2 = await call({ audio: writeInput("mislabelled.wav", mp3) });
    expect(r2.isError).toBeFalsy();
    expect(fake.requests[1]!.body.messages[0].content[0].input_audio).toEqual({
      data: mp3.toString("base64"),
      format: "mp3",
    });
  });

  it("refuses non-audio files and other audio formats without calling GLM", async () => {
    const png = Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b40000000049454e44ae426082",
      "hex",
    );
    const r1 = await call({ audio: writeInput("voice.wav", png) });
    expect(r1.isError).toBe(true);
    expect(textOf(r1)).toMatch(/is not an audio: its bytes look like PNG/);
    const r2 = await call({ audio: writeInput("notes.txt", Buffer.from("just some text, not speech\n")) });
    expect(r2.isError).toBe(true);
    expect(textOf(r2)).toMatch(/not an audio/);
    const flac = Buffer.concat([Buffer.from("fLaC"), Buffer.alloc(64)]);
    const r3 = await call({ audio: flac.toString("base64") });
    expect(r3.isError).toBe(true);
    expect(textOf(r3)).toMatch(/FLAC.*takes WAV or MP3 audio.*ffmpeg/);
    expect(fake.requests).toHaveLength(0);
  });

  it("reads local audio only inside the allowed directories", async () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), "voice-allowed-"));
    const sandboxed = await connect({
      GLM_API_KEY: FAKE_API_KEY,
      GLM_BASE_URL: fake.baseUrl,
      GLM_MCP_ALLOW_DIRS: elsewhere,
    });
    try {
      const r = (await sandboxed.client.callTool({
        name: "voice_reply",
        arguments: { audio: writeInput("outside.wav", toneWav({ durationMs: 100 })) },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain(`local audio files must be inside ${elsewhere}`);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await sandboxed.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("refuses audio longer than 10 minutes", async () => {
    const long = toneWav({ durationMs: 601_000, sampleRate: 8000, bits: 8 });
    const r = await call({ audio: writeInput("long.wav", long) });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("lasts 10 min 1 s, over the 10 min this tool accepts");
    expect(fake.requests).toHaveLength(0);
  });

  it("multi-turn: earlier turns and the assistant's audio id go back to GLM", async () => {
    fake.answer({ content: "First answer", audio: { id: "voice-turn-1" } });
    const r1 = await call({ text: "Hi there", instructions: "Be calm" });
    const id = (r1.structuredContent as Sc).conversation_id;
    const wav = toneWav({ durationMs: 200 });
    const r2 = await call({
      audio: wav.toString("base64"),
      conversation_id: id,
      instructions: "Now be excited",
    });
    expect(r2.isError).toBeFalsy();
    expect((r2.structuredContent as Sc).conversation_id).toBe(id);
    expect(fake.requests[1]!.body.messages).toEqual([
      { role: "system", content: "Now be excited" },
      { role: "user", content: [{ type: "text", text: "Hi there" }] },
      { role: "assistant", content: "First answer", audio: { id: "voice-turn-1" } },
      {
        role: "user",
        content: [{ type: "input_audio", input_audio: { data: wav.toString("base64"), format: "wav" } }],
      },
    ]);
    const r3 = await call({ text: "and again", conversation_id: id });
    expect(r3.isError).toBeFalsy();
    expect(fake.requests[2]!.body.messages[0]).toEqual({ role: "system", content: "Now be excited" });
    expect(fake.requests[2]!.body.messages).toHaveLength(6);
  });

  it("rejects an unknown conversation_id and a call with neither text nor audio", async () => {
    const r1 = await call({ text: "x", conversation_id: "nope" });
    expect(r1.isError).toBe(true);
    expect(textOf(r1)).toContain('Unknown or expired conversation_id "nope"');
    const r2 = await call({});
    expect(r2.isError).toBe(true);
    expect(textOf(r2)).toContain("needs text, audio or both");
    expect(fake.requests).toHaveLength(0);
  });

  it("wraps raw PCM replies as 44.1 kHz mono 16-bit WAV", async () => {
    const pcm = makeToneWav({ durationMs: 250 }).subarray(44);
    fake.answer({ content: "raw", audio: { data: pcm.toString("base64") } });
    const r = await call({ text: "raw please" });
    const { file, header } = checkSavedWav(r.structuredContent as Sc, { sampleRate: 44100, channels: 1 });
    expect(header.dataSize).toBe(pcm.length);
    expect(file.subarray(44).equals(pcm)).toBe(true);
    expect((r.structuredContent as Sc).audio.duration_s).toBe(0.25);
  });

  it("repairs a streamed WAV whose header sizes were left unknown", async () => {
    const wav = Buffer.from(toneWav({ durationMs: 100, sampleRate: 24000 }));
    wav.writeUInt32LE(0xffffffff, 4);
    wav.writeUInt32LE(0xffffffff, 40);
    fake.answer({ content: "streamed", audio: { data: wav.toString("base64") } });
    const r = await call({ text: "x" });
    const { header } = checkSavedWav(r.structuredContent as Sc, { sampleRate: 24000, channels: 1 });
    expect(header.dataSize).toBe(4800);
  });

  it("inline_audio adds an audio/wav block identical to the saved file", async () => {
    const r = await call({ text: "inline", inline_audio: true });
    const block = r.content.find((c) => c.type === "audio") as Sc;
    expect(block.mimeType).toBe("audio/wav");
    expect(
      Buffer.from(block.data, "base64").equals(readFileSync((r.structuredContent as Sc).audio.path)),
    ).toBe(true);
  });

  it("names files inside the output directory only, never colliding", async () => {
    const a = (await call({ text: "one" })).structuredContent as Sc;
    const b = (await call({ text: "two" })).structuredContent as Sc;
    for (const sc of [a, b]) {
      expect(path.dirname(sc.audio.path)).toBe(s.outputDir);
      expect(sc.audio.name).toMatch(/^voice-reply-\d{8}T\d{6}-[0-9a-f]{8}\.wav$/);
    }
    expect(a.audio.path).not.toBe(b.audio.path);
    expect(filesIn(s.outputDir).sort()).toEqual([a.audio.name, b.audio.name].sort());
  });

  it("fails with one actionable sentence and leaves no files when GLM rejects or the stream breaks", async () => {
    fake.fail({ kind: "status", status: 400, code: "1214", message: "input_audio 参数非法" });
    const r1 = await call({ text: "x" });
    expect(r1.isError).toBe(true);
    expect(textOf(r1)).toContain("GLM rejected the request parameters");
    expect(textOf(r1)).toContain("input_audio 参数非法");
    expect(textOf(r1)).not.toContain(FAKE_API_KEY);

    fake.fail({ kind: "stream-cut", afterChunks: 3 });
    const r2 = await call({ text: "a long enough question to have several chunks of answer" });
    expect(r2.isError).toBe(true);
    expect(filesIn(s.outputDir)).toEqual([]);
  });

  it("sends progress notifications", async () => {
    const seen: string[] = [];
    const r = await call({ text: "progress please" }, { onprogress: (p) => seen.push(p.message ?? "") });
    expect(r.isError).toBeFalsy();
    expect(seen.some((m) => m.startsWith("waiting for glm-4-voice"))).toBe(true);
    expect(seen).toContain("saving the speech");
  });
});

describe("voice_reply: speech streamed as one WAV per chunk", () => {
  it("saves the sum of every chunk's audio when each piece carries its own header", async () => {
    // Three 1 s WAV files back to back, as a stream whose every chunk is a file of its own.
    const parts = [0, 1, 2].map(() => makeToneWav({ durationMs: 1000 }));
    fake.answer({ content: "one two three", audio: { data: Buffer.concat(parts).toString("base64") } });
    const r = await call({ text: "count" });
    expect(r.isError, textOf(r)).toBeFalsy();
    const sc = r.structuredContent as Sc;
    expect(sc.audio.duration_s).toBe(3);
    checkSavedWav(sc, { sampleRate: 44100, channels: 1 });
  });
});
