// The GLM-Realtime turn client (src/glm/realtime.ts) against the fake realtime WebSocket server.
import { getEventListeners } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { decodeToMono, resample, toPcm16 } from "../../src/media/audio/pcm.js";
import { parseWav as parseWavSrc } from "../../src/media/audio/wav.js";
import { CancelledError, ContentFilteredError, MissingApiKeyError } from "../../src/glm/errors.js";
import {
  RealtimeClosedError,
  RealtimeConnectError,
  RealtimeEventError,
  RealtimeSilenceError,
} from "../../src/glm/realtime-errors.js";
import {
  REALTIME_INPUT_FORMAT,
  realtimeTurn,
  wavFrames,
  type RealtimeOptions,
} from "../../src/glm/realtime.js";
import { FAKE_API_KEY } from "../../test/fake-glm/index.js";
import { startFakeRealtime, type FakeRealtime } from "../fake-glm/realtime.js";
import { makeToneWav } from "../fake-glm/wav.js";

let fake: FakeRealtime;
beforeAll(async () => {
  fake = await startFakeRealtime({ deltaDelayMs: 2 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

function opts(extra: Partial<RealtimeOptions> = {}): RealtimeOptions {
  return {
    url: fake.url,
    apiKey: FAKE_API_KEY,
    silenceMs: 5_000,
    appendsPerSec: 200,
    transcriptGraceMs: 500,
    ...extra,
  };
}

/** 16 kHz mono PCM of a tone, as the tool prepares it. */
function speechPcm(durationMs: number): Buffer {
  const wav = makeToneWav({ durationMs, sampleRate: 44100 });
  const info = parseWavSrc(wav)!;
  return toPcm16(resample(decodeToMono(wav, info), info.sampleRate, REALTIME_INPUT_FORMAT.sampleRate));
}

describe("realtimeTurn happy path", () => {
  it("sends the documented event flow for an audio turn and collects the reply", async () => {
    fake.script({ transcript: "你好，世界 hello", inputTranscript: "what is the weather", audioMs: 500 });
    const result = await realtimeTurn(opts(), {
      model: "glm-realtime-flash",
      voice: "xiaochen",
      instructions: "be brief",
      temperature: 0.3,
      audioPcm: speechPcm(1000),
    });

    const conn = fake.connections[0]!;
    expect(conn.headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    const types = conn.events.map((e) => e.type);
    expect(types[0]).toBe("session.update");
    expect(types.filter((t) => t === "input_audio_buffer.append")).toHaveLength(10); // 1 s in 100 ms frames
    expect(types.slice(-2)).toEqual(["input_audio_buffer.commit", "response.create"]);
    const update = conn.events[0]!.body;
    expect(update.session).toEqual({
      model: "glm-realtime-flash",
      modalities: ["text", "audio"],
      voice: "xiaochen",
      input_audio_format: "wav",
      output_audio_format: "pcm",
      turn_detection: { type: "client_vad" },
      beta_fields: { chat_mode: "audio", tts_source: "e2e", auto_search: true }, // the platform's default
      tools: [],
      instructions: "be brief",
      temperature: 0.3,
    });
    expect(typeof update.client_timestamp).toBe("number");
    expect(typeof update.event_id).toBe("string");
    // Every append is a complete 16 kHz mono 16-bit WAV.
    const first = Buffer.from(conn.events[1]!.body.audio, "base64");
    expect(parseWavSrc(first)).toMatchObject({
      sampleRate: 16000,
      channels: 1,
      bitsPerSample: 16,
      dataBytes: 3200,
    });

    expect(result.transcript).toBe("你好，世界 hello");
    expect(result.inputTranscript).toBe("what is the weather");
    expect(result.status).toBe("completed");
    expect(result.audio.length).toBe(24000 * 2 * 0.5); // 0.5 s of 24 kHz s16 mono
    expect(result.usage?.output_tokens).toBeGreaterThan(0);
    expect(result.usage?.input_token_details?.audio_tokens).toBe(13); // ceil(1 s * 12.5)
    expect(result.sessionId).toMatch(/^\d{14}/);
    expect(result.responseId).toMatch(/^resp/);

    const closed = await conn.whenClosed;
    expect(closed).toEqual({ by: "client", code: 1000 });
    expect(conn.droppedAppends).toBe(0);
  });

  it("sends text as a conversation item, with no audio buffer events", async () => {
    const result = await realtimeTurn(opts(), { model: "glm-realtime-air", text: "讲个笑话" });
    const conn = fake.connections[0]!;
    expect(conn.events.map((e) => e.type)).toEqual([
      "session.update",
      "conversation.item.create",
      "response.create",
    ]);
    expect(conn.events[1]!.body.item).toEqual({
      type: "message",
      role: "user",
      object: "realtime.item",
      content: [{ type: "input_text", text: "讲个笑话" }],
    });
    expect(result.transcript.length).toBeGreaterThan(0);
    expect(result.inputTranscript).toBeUndefined();
    expect(result.audio.length).toBeGreaterThan(0);
  });

  it("waits for an input transcription that arrives after response.done", async () => {
    fake.script({ inputTranscriptAfterDone: true, inputTranscript: "late words" });
    const result = await realtimeTurn(opts(), { model: "glm-realtime-flash", audioPcm: speechPcm(300) });
    expect(result.inputTranscript).toBe("late words");
  });

  it("collects response.text.delta alongside the audio transcript", async () => {
    fake.script({ transcript: "spoken", text: "written answer" });
    const result = await realtimeTurn(opts(), { model: "glm-realtime-flash", text: "hi" });
    expect(result.text).toBe("written answer");
    expect(result.transcript).toBe("spoken");
  });

  it("keeps a reply whose server closes the socket right after response.done", async () => {
    fake.script({ transcript: "bye now", closeAfterDone: true });
    const result = await realtimeTurn(opts(), { model: "glm-realtime-flash", text: "hi" });
    expect(result.transcript).toBe("bye now");
    expect(result.status).toBe("completed");
    expect((await fake.connections[0]!.whenClosed).by).toBe("server");
  });

  it("paces appends below the platform's 50 events/s", async () => {
    const result = await realtimeTurn(opts({ appendsPerSec: 40 }), {
      model: "glm-realtime-flash",
      audioPcm: speechPcm(6000),
    });
    const conn = fake.connections[0]!;
    expect(result.framesSent).toBe(60);
    expect(conn.droppedAppends).toBe(0);
    // The platform's limit is 50/s; the client aims at 40 so delivery jitter cannot push it over.
    expect(conn.peakAppendsPerSec).toBeLessThanOrEqual(50);
  });

  it("ignores heartbeats", async () => {
    const hb = await startFakeRealtime({ heartbeatMs: 5, deltaDelayMs: 10 });
    try {
      const result = await realtimeTurn(
        { ...opts(), url: hb.url },
        { model: "glm-realtime-flash", text: "hi" },
      );
      expect(hb.connections[0]!.sent.filter((t) => t === "heartbeat").length).toBeGreaterThan(1);
      expect(result.status).toBe("completed");
    } finally {
      await hb.close();
    }
  });
});

describe("realtimeTurn failures", () => {
  it("turns an error event into a typed error and closes the socket", async () => {
    fake.script({
      fault: {
        kind: "error",
        on: "response.create",
        error: { type: "invalid_request_error", code: "invalid_value", message: "bad voice" },
      },
    });
    const err = await realtimeTurn(opts(), { model: "glm-realtime-flash", text: "hi" }).catch((e) => e);
    expect(err).toBeInstanceOf(RealtimeEventError);
    expect(err.toolMessage()).toContain("bad voice");
    expect(err.toolMessage()).toContain("invalid_request_error / invalid_value");
    expect((await fake.connections[0]!.whenClosed).by).toBe("client");
  });

  it("maps GLM business codes in error events to their own classes", async () => {
    fake.script({
      fault: {
        kind: "error",
        on: "mid-response",
        error: { type: "server_error", code: "1301", message: "unsafe" },
      },
    });
    const err = await realtimeTurn(opts(), { model: "glm-realtime-flash", text: "hi" }).catch((e) => e);
    expect(err).toBeInstanceOf(ContentFilteredError);
  });

  it("reports a dropped connection mid-reply", async () => {
    fake.script({ fault: { kind: "drop", on: "mid-response", afterDeltas: 3 } });
    const err = await realtimeTurn(opts(), { model: "glm-realtime-flash", text: "hi" }).catch((e) => e);
    expect(err).toBeInstanceOf(RealtimeClosedError);
    expect(err.message).toContain("before the reply finished");
    expect(err.message).toContain("1006");
  });

  it("times out on silence even while heartbeats keep coming, and closes the socket", async () => {
    const hb = await startFakeRealtime({ heartbeatMs: 20 });
    try {
      hb.script({ fault: { kind: "silent", on: "response.create", heartbeats: true } });
      const err = await realtimeTurn(
        { ...opts(), url: hb.url, silenceMs: 300 },
        { model: "glm-realtime-flash", text: "hi" },
      ).catch((e) => e);
      expect(err).toBeInstanceOf(RealtimeSilenceError);
      expect(err.message).toContain("before the reply finished");
      expect((await hb.connections[0]!.whenClosed).by).toBe("client");
      expect(hb.connections[0]!.sent.filter((t) => t === "heartbeat").length).toBeGreaterThan(2);
    } finally {
      await hb.close();
    }
  });

  it("times out when session.created never comes", async () => {
    fake.script({ fault: { kind: "silent", on: "connect" } });
    const err = await realtimeTurn(opts({ silenceMs: 200 }), {
      model: "glm-realtime-flash",
      text: "hi",
    }).catch((e) => e);
    expect(err).toBeInstanceOf(RealtimeSilenceError);
    expect(err.message).toContain("before session.created");
  });

  it("cancels: sends response.cancel, closes the socket and throws CancelledError", async () => {
    fake.script({ audioMs: 5000 });
    const controller = new AbortController();
    const turn = realtimeTurn(
      opts({
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === "receiving") controller.abort();
        },
      }),
      { model: "glm-realtime-flash", text: "hi" },
    );
    await expect(turn).rejects.toBeInstanceOf(CancelledError);
    const conn = fake.connections[0]!;
    expect(await conn.whenClosed).toEqual({ by: "client", code: 1000 });
    expect(conn.events.map((e) => e.type)).toContain("response.cancel");
    expect(fake.openConnections).toBe(0);
  });

  it("refuses to connect without a key, before opening a socket", async () => {
    await expect(
      realtimeTurn(opts({ apiKey: undefined }), { model: "glm-realtime-flash", text: "hi" }),
    ).rejects.toBeInstanceOf(MissingApiKeyError);
    expect(fake.connections).toHaveLength(0);
  });

  it("reports a rejected handshake (wrong key) as a connect error", async () => {
    const err = await realtimeTurn(opts({ apiKey: "wrong-key-123456" }), {
      model: "glm-realtime-flash",
      text: "hi",
    }).catch((e) => e);
    expect(err).toBeInstanceOf(RealtimeConnectError);
    expect(err.message).toContain("GLM_API_KEY");
    expect(err.message).not.toContain("wrong-key-123456");
    // (undici's fetch repeats a handshake answered 401 once, per the Fetch spec's auth step.)
    expect(fake.rejectedHandshakes.length).toBeGreaterThanOrEqual(1);
    expect(fake.rejectedHandshakes.every((h) => h.status === 401 && h.path === "/api/paas/v4/realtime")).toBe(
      true,
    );
    expect(fake.connections).toHaveLength(0);
  });

  it("wavFrames splits PCM into complete WAV files", () => {
    const frames = wavFrames(Buffer.alloc(3200 * 2 + 100), REALTIME_INPUT_FORMAT, 100);
    expect(frames.map((f) => parseWavSrc(f)?.dataBytes)).toEqual([3200, 3200, 100]);
  });
});

describe("realtimeTurn cleanup when the server never answers the close frame", () => {
  /**
   * A minimal realtime server that completes a text turn, then stops reading its socket right
   * after response.done, so the client's close frame is never answered (a half-open peer) and
   * close() has to give up waiting. The shared fake always answers close frames, hence this one.
   */
  async function deafAfterDone() {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true });
    let peer: { ws: WebSocket; socket: Socket } | undefined;
    http.on("upgrade", (req, socket: Socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        peer = { ws, socket };
        const send = (e: Record<string, unknown>) => ws.send(JSON.stringify(e));
        send({ type: "session.created", session: { id: "20250101000000-deaf" } });
        ws.on("message", (data) => {
          const type = (JSON.parse(data.toString()) as { type: string }).type;
          if (type === "session.update") send({ type: "session.updated", session: {} });
          if (type === "response.create") {
            send({ type: "response.created", response: { id: "resp_deaf" } });
            send({ type: "response.audio_transcript.delta", delta: "ok" });
            send({ type: "response.done", response: { id: "resp_deaf", status: "completed" } });
            socket.pause(); // the client's close frame now sits unread: no close reply, no close event
          }
        });
        ws.on("error", () => {});
      });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    return {
      url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/api/paas/v4/realtime`,
      peer: () => peer!,
      async close() {
        peer?.socket.destroy();
        wss.close();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      },
    };
  }

  const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

  it("releases the abort listener and leaves no timer, even for events arriving after the turn", async () => {
    const deaf = await deafAfterDone();
    try {
      const controller = new AbortController();
      const baseline = timeouts();
      const result = await realtimeTurn(
        { ...opts(), url: deaf.url, signal: controller.signal, silenceMs: 60_000, closeWaitMs: 50 },
        { model: "glm-realtime-flash", text: "hi" },
      );
      expect(result.transcript).toBe("ok");
      // The socket never reported "close" (the server is deaf), yet the turn let go of the signal:
      // before the fix the listener stayed until a close event that may never come.
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);

      // No timer of the turn is left keeping the process alive (a 60 s silence timer would be).
      expect(timeouts()).toBeLessThanOrEqual(baseline);
      // A late event from the half-open server must not re-arm it either. Closest observable we
      // can make: the client cannot tell us when the event was seen, and undici already drops
      // messages once the socket is CLOSING, so this guards the client's own `finished` flag
      // (and the unref'd silence timer) rather than reproducing a leak that undici shows today.
      deaf.peer().ws.send(JSON.stringify({ type: "response.audio_transcript.delta", delta: "late" }));
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(timeouts()).toBeLessThanOrEqual(baseline);
      controller.abort(); // after the turn: nothing listens any more, nothing is sent
    } finally {
      await deaf.close();
    }
  });
});

describe("fake realtime server validation", () => {
  /** A raw ws client: sends events and collects the server's. */
  async function raw(headers: Record<string, string> = { authorization: `Bearer ${FAKE_API_KEY}` }) {
    const ws = new WebSocket(fake.url, { headers });
    const events: { type: string; [k: string]: unknown }[] = [];
    const waiters: (() => void)[] = [];
    ws.on("message", (d) => {
      events.push(JSON.parse(d.toString()));
      for (const w of waiters.splice(0)) w();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const waitFor = async (type: string, from = 0) => {
      for (;;) {
        const hit = events.slice(from).find((e) => e.type === type);
        if (hit) return hit;
        await new Promise<void>((r) => waiters.push(r));
      }
    };
    const send = (e: unknown) => ws.send(typeof e === "string" ? e : JSON.stringify(e));
    return { ws, events, waitFor, send };
  }

  it("sends session.created first, then a heartbeat", async () => {
    const c = await raw();
    await c.waitFor("heartbeat");
    expect(c.events[0]!.type).toBe("session.created");
    c.ws.close();
  });

  it("answers commit before any append with an error event", async () => {
    const c = await raw();
    c.send({ type: "input_audio_buffer.commit" });
    const e = (await c.waitFor("error")) as unknown as { error: { code: string } };
    expect(e.error.code).toBe("input_audio_buffer_commit_empty");
    c.ws.close();
  });

  it("answers response.create without input with an error event", async () => {
    const c = await raw();
    c.send({ type: "response.create" });
    const e = (await c.waitFor("error")) as unknown as { error: { code: string } };
    expect(e.error.code).toBe("response_create_without_input");
    c.ws.close();
  });

  it("rejects a missing type, unknown events, bad JSON, bad session fields and stereo audio", async () => {
    const c = await raw();
    c.send({ foo: 1 });
    c.send({ type: "nope" });
    c.send("{not json");
    c.send({ type: "session.update", session: { voice: "robot" } });
    c.send({ type: "session.update", session: { output_audio_format: "mp3" } });
    const stereo = Buffer.alloc(44 + 400);
    makeToneWav({ durationMs: 10 }).copy(stereo, 0, 0, 44);
    stereo.writeUInt16LE(2, 22);
    c.send({ type: "input_audio_buffer.append", audio: stereo.toString("base64") });
    c.send({ type: "input_audio_buffer.append", audio: Buffer.from("hello").toString("base64") });
    while (c.events.filter((e) => e.type === "error").length < 7) await new Promise((r) => setTimeout(r, 5));
    const messages = c.events
      .filter((e) => e.type === "error")
      .map((e) => (e.error as { message: string }).message);
    expect(messages[0]).toBe("The 'type' field is missing.");
    expect(messages[1]).toContain("Unknown event type");
    expect(messages[2]).toContain("not valid JSON");
    expect(messages[3]).toContain("session.voice");
    expect(messages[4]).toContain("output_audio_format");
    expect(messages[5]).toContain("mono 16-bit");
    expect(messages[6]).toContain("not a WAV");
    c.ws.close();
  });

  it("refuses a handshake without the Bearer header", async () => {
    await expect(raw({})).rejects.toThrow(/401/);
    expect(fake.rejectedHandshakes.at(-1)).toEqual({ path: "/api/paas/v4/realtime", status: 401 });
  });
});
