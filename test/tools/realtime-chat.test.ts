// realtime_chat through an in-memory MCP pair against the fake GLM-Realtime WebSocket server:
// the event flow, the saved 24 kHz WAV, errors, drops, silence, cancellation, no leftover files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parseWav } from "../../src/media/audio/wav.js";
import { FAKE_API_KEY } from "../fake-glm/index.js";
import { startFakeRealtime, type FakeRealtime } from "../fake-glm/realtime.js";
import { filesIn, readCanonicalWav, syntheticMp3, toneWav } from "../helpers/audio.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeRealtime;
let s: TestSession;
let inputs: string;
beforeAll(async () => {
  fake = await startFakeRealtime({ deltaDelayMs: 2 });
  inputs = mkdtempSync(path.join(os.tmpdir(), "realtime-in-"));
});
afterAll(async () => {
  await fake.close();
  rmSync(inputs, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_REALTIME_URL: fake.url, GLM_TIMEOUT_MS: "5000" });
});
afterEach(() => s.close());

const call = (args: Record<string, unknown>, extra: Parameters<TestSession["client"]["callTool"]>[2] = {}) =>
  s.client.callTool({ name: "realtime_chat", arguments: args }, undefined, extra) as Promise<CallToolResult>;

type Sc = Record<string, any>;

function writeInput(name: string, bytes: Buffer): string {
  const p = path.join(inputs, name);
  writeFileSync(p, bytes);
  return p;
}

describe("realtime_chat", () => {
  it("is listed with annotations and schemas", async () => {
    const { tools } = await s.client.listTools();
    const tool = tools.find((t) => t.name === "realtime_chat")!;
    expect(tool.annotations).toMatchObject({ openWorldHint: true, idempotentHint: false });
    expect((tool.inputSchema.properties as Sc).voice.enum).toEqual([
      "tongtong",
      "xiaochen",
      "female-tianmei",
      "female-shaonv",
      "male-qn-daxuesheng",
      "male-qn-jingying",
      "lovely_girl",
    ]);
    expect(tool.outputSchema?.properties).toHaveProperty("input_transcript");
    expect(tool.description).toMatch(/Do not use for/);
  });

  it("happy path: converts a 44.1 kHz stereo WAV, runs the turn, saves a 24 kHz mono WAV", async () => {
    fake.script({ transcript: "今天天气很好。", inputTranscript: "天气怎么样", audioMs: 800 });
    const wav = toneWav({ durationMs: 1200, sampleRate: 44100, channels: 2 });
    const progress: string[] = [];
    const r = await call(
      {
        audio: writeInput("q.wav", wav),
        text: "Answer briefly",
        voice: "female-tianmei",
        model: "glm-realtime-air",
        instructions: "You are a weather bot",
        temperature: 0.4,
      },
      { onprogress: (p) => progress.push(p.message ?? "") },
    );
    expect(r.isError).toBeFalsy();
    const conn = fake.connections[0]!;
    expect(conn.headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    const types = conn.events.map((e) => e.type);
    expect(types).toEqual([
      "session.update",
      "conversation.item.create",
      ...new Array(12).fill("input_audio_buffer.append"),
      "input_audio_buffer.commit",
      "response.create",
    ]);
    expect(conn.events[0]!.body.session).toMatchObject({
      model: "glm-realtime-air",
      voice: "female-tianmei",
      instructions: "You are a weather bot",
      temperature: 0.4,
      output_audio_format: "pcm",
      turn_detection: { type: "client_vad" },
      beta_fields: { chat_mode: "audio" },
    });
    const frame = parseWav(Buffer.from(conn.events[2]!.body.audio, "base64"))!;
    expect(frame).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16, dataBytes: 3200 });
    expect(conn.droppedAppends).toBe(0);
    expect((await conn.whenClosed).by).toBe("client");

    const sc = r.structuredContent as Sc;
    expect(sc.transcript).toBe("今天天气很好。");
    expect(sc.input_transcript).toBe("天气怎么样");
    expect(sc.status).toBe("completed");
    expect(sc.model).toBe("glm-realtime-air");
    expect(sc.usage.input_audio_tokens).toBe(15); // ceil(1.2 s * 12.5)
    expect(sc.usage.total_tokens).toBe(sc.usage.input_tokens + sc.usage.output_tokens);
    const file = readFileSync(sc.audio.path);
    const h = readCanonicalWav(file);
    expect(h).toMatchObject({
      format: 1,
      channels: 1,
      sampleRate: 24000,
      bitsPerSample: 16,
      byteRate: 48000,
      blockAlign: 2,
    });
    expect(h.dataSize).toBe(file.length - 44);
    expect(h.dataSize).toBe(24000 * 2 * 0.8);
    expect(sc.audio.duration_s).toBe(0.8);
    expect(path.dirname(sc.audio.path)).toBe(s.outputDir);
    expect(sc.audio.name).toMatch(/^realtime-\d{8}T\d{6}-[0-9a-f]{8}\.wav$/);
    expect(r.content.find((c) => c.type === "resource_link")).toMatchObject({
      uri: sc.audio.uri,
      mimeType: "audio/wav",
    });
    expect(textOf(r)).toContain("Heard: 天气怎么样");
    expect(textOf(r)).toContain(
      "Input audio converted: 44100 Hz 2-channel 16-bit pcm -> 16000 Hz mono 16-bit",
    );
    expect(progress.some((m) => m.startsWith("receiving speech"))).toBe(true);
    expect(progress.some((m) => m.startsWith("connecting to glm-realtime-air"))).toBe(true);
  });

  it("text only, inline audio block on request, default model and voice", async () => {
    const r = await call({ text: "hello", inline_audio: true });
    expect(r.isError).toBeFalsy();
    const update = fake.connections[0]!.events[0]!.body.session;
    expect(update.model).toBe("glm-realtime-flash");
    expect(update.voice).toBe("tongtong");
    const sc = r.structuredContent as Sc;
    expect(sc.input_transcript).toBeUndefined();
    const block = r.content.find((c) => c.type === "audio") as Sc;
    expect(block.mimeType).toBe("audio/wav");
    expect(Buffer.from(block.data, "base64").equals(readFileSync(sc.audio.path))).toBe(true);
  });

  it("accepts 24-bit and float WAV via data: URI and base64", async () => {
    const r1 = await call({
      audio: `data:audio/wav;base64,${toneWav({ durationMs: 200, sampleRate: 48000, bits: 24 }).toString("base64")}`,
    });
    expect(r1.isError).toBeFalsy();
    const r2 = await call({
      audio: toneWav({ durationMs: 200, sampleRate: 22050, float: true }).toString("base64"),
    });
    expect(r2.isError).toBeFalsy();
    expect(fake.connections).toHaveLength(2);
  });

  it("refuses MP3, non-audio and audio over 30 s before connecting", async () => {
    const r1 = await call({ audio: syntheticMp3(1).toString("base64") });
    expect(r1.isError).toBe(true);
    expect(textOf(r1)).toMatch(/takes WAV audio only.*ffmpeg/);
    const r2 = await call({ audio: writeInput("a.wav", Buffer.from("%PDF-1.7\n%fake pdf\n")) });
    expect(r2.isError).toBe(true);
    expect(textOf(r2)).toMatch(/not an audio/);
    const r3 = await call({
      audio: writeInput("long.wav", toneWav({ durationMs: 31_000, sampleRate: 8000, bits: 8 })),
    });
    expect(r3.isError).toBe(true);
    expect(textOf(r3)).toContain("over the 30 s this tool accepts: cut it shorter or use voice_reply");
    const r4 = await call({});
    expect(r4.isError).toBe(true);
    expect(fake.connections).toHaveLength(0);
  });

  it("auto_search (default on): a search GLM runs is reported as a line and in searches", async () => {
    fake.script({ searchDescription: "好的，我马上帮你查查北京的天气！" });
    const r = await call({ text: "What's the weather in Beijing today?" });
    expect(r.isError, textOf(r)).toBeFalsy();
    const conn = fake.connections[0]!;
    expect(conn.events[0]!.body.session.beta_fields).toEqual({
      chat_mode: "audio",
      tts_source: "e2e",
      auto_search: true,
    });
    expect(conn.sent).toContain("response.function_call.simple_browser");
    expect(textOf(r)).toContain("Searched the web (auto_search): 好的，我马上帮你查查北京的天气！");
    expect((r.structuredContent as Sc).searches).toEqual([
      { description: "好的，我马上帮你查查北京的天气！" },
    ]);
  });

  it("auto_search false is sent as such and no search happens", async () => {
    const r = await call({ text: "What's the weather in Beijing today?", web_search: "false" });
    expect(r.isError, textOf(r)).toBeFalsy();
    const conn = fake.connections[0]!;
    expect(conn.events[0]!.body.session.beta_fields.auto_search).toBe(false);
    expect(conn.sent).not.toContain("response.function_call.simple_browser");
    expect(textOf(r)).not.toContain("Searched the web");
    expect(r.structuredContent).not.toHaveProperty("searches");
  });

  it("a question with nothing to look up is answered without a search", async () => {
    const r = await call({ text: "Say hello." });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(fake.connections[0]!.sent).not.toContain("response.function_call.simple_browser");
    expect(r.structuredContent).not.toHaveProperty("searches");
  });

  it("a failed search (video_model_query_error) is a note and the reply still arrives", async () => {
    fake.script({ search: "error" });
    const r = await call({ text: "Say hello." });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toMatch(/turn went on: .*video_model_query_error/);
    expect((r.structuredContent as Sc).searches).toHaveLength(1);
    expect((r.structuredContent as Sc).transcript).toBeTruthy();
  });

  it("reports a recoverable error event in the notes and finishes the turn", async () => {
    fake.script({
      fault: {
        kind: "error",
        on: "input_audio_buffer.append",
        error: {
          type: "invalid_request_error",
          code: "invalid_audio",
          message: "audio could not be decoded",
        },
      },
    });
    // One of three frames is refused; the rest is committed and answered.
    const r = await call({ audio: toneWav({ durationMs: 300 }).toString("base64") });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toMatch(
      /GLM-Realtime reported an error and the turn went on: .*invalid_request_error \/ invalid_audio.*audio could not be decoded/,
    );
    expect((r.structuredContent as { audio?: unknown }).audio).toBeDefined();
  });

  it("fails the turn when response.create is refused (no response follows the error)", async () => {
    fake.script({
      fault: {
        kind: "error",
        on: "response.create",
        error: { type: "invalid_request_error", code: "invalid_value", message: "bad response" },
      },
    });
    const r = await call({ text: "hi" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/GLM said: "bad response"/);
  });

  it("fails the turn on an error event during session set-up, closes the socket, leaves no file", async () => {
    fake.script({
      fault: {
        kind: "error",
        on: "session.update",
        error: { type: "invalid_request_error", code: "invalid_value", message: "bad session" },
      },
    });
    const r = await call({ text: "hi" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /^GLM-Realtime rejected the turn \(invalid_request_error \/ invalid_value\).*GLM said: "bad session"/,
    );
    expect((await fake.connections[0]!.whenClosed).by).toBe("client");
    expect(filesIn(s.outputDir)).toEqual([]);
    expect((await s.ctx.usage.snapshot()).models["glm-realtime-flash"]?.errors).toBe(1);
  });

  it("reports a dropped connection and leaves no file", async () => {
    fake.script({ fault: { kind: "drop", on: "mid-response", afterDeltas: 4 } });
    const r = await call({ text: "tell me a long story" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain(
      "The GLM-Realtime connection closed before the reply finished (WebSocket code 1006)",
    );
    expect(filesIn(s.outputDir)).toEqual([]);
  });

  it("times out on silence (GLM_TIMEOUT_MS), closes the socket, leaves no file", async () => {
    const quick = await connect({
      GLM_API_KEY: FAKE_API_KEY,
      GLM_REALTIME_URL: fake.url,
      GLM_TIMEOUT_MS: "300",
    });
    try {
      fake.script({ fault: { kind: "silent", on: "mid-response", afterDeltas: 2 } });
      const r = (await quick.client.callTool({
        name: "realtime_chat",
        arguments: { text: "hi" },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain("GLM-Realtime sent nothing for 0.3 s before the reply finished");
      expect(textOf(r)).toContain("GLM_TIMEOUT_MS");
      expect(await fake.connections[0]!.whenClosed).toEqual({ by: "client", code: 1000 });
      expect(filesIn(quick.outputDir)).toEqual([]);
    } finally {
      await quick.close();
    }
  });

  it("cancellation from the MCP client closes the socket and leaves no file", async () => {
    fake.script({ audioMs: 20_000 });
    const controller = new AbortController();
    const pending = call(
      { text: "talk for a while" },
      {
        signal: controller.signal,
        onprogress: (p) => {
          if (p.message?.startsWith("receiving speech")) controller.abort();
        },
      },
    );
    await expect(pending).rejects.toThrow();
    const conn = fake.connections[0]!; // connected before any "receiving speech" progress
    expect(await conn.whenClosed).toEqual({ by: "client", code: 1000 });
    expect(conn.events.map((e) => e.type)).toContain("response.cancel");
    expect(fake.openConnections).toBe(0);
    expect(filesIn(s.outputDir)).toEqual([]);
    // The server keeps serving.
    const r = await call({ text: "still there?" });
    expect(r.isError).toBeFalsy();
  });

  it("a rejected key gives an actionable error without the key", async () => {
    const bad = await connect({ GLM_API_KEY: "sk-wrong-key-abcdef", GLM_REALTIME_URL: fake.url });
    try {
      const r = (await bad.client.callTool({
        name: "realtime_chat",
        arguments: { text: "hi" },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain("Could not open the GLM-Realtime WebSocket");
      expect(textOf(r)).toContain("GLM_API_KEY");
      expect(textOf(r)).not.toContain("sk-wrong-key-abcdef");
      expect(fake.connections).toHaveLength(0);
    } finally {
      await bad.close();
    }
  });
});
