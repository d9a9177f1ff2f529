// The GLM client against the fake upstream: retries, error mapping, streams, timeouts, cancellation.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GlmClient } from "../../src/glm/client.js";
import { WrongEndpointError } from "../../src/glm/endpoints.js";
import { collectChatStream } from "../../src/glm/collect.js";
import {
  AuthenticationError,
  CancelledError,
  ConnectionError,
  ContentFilteredError,
  InsufficientBalanceError,
  InvalidResponseError,
  MissingApiKeyError,
  ModelNotFoundError,
  OverloadedError,
  RateLimitError,
  ServerError,
  StreamInterruptedError,
  TimeoutError,
} from "../../src/glm/errors.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (over: Partial<ConstructorParameters<typeof GlmClient>[0]> = {}) =>
  new GlmClient({
    baseUrl: fake.baseUrl,
    apiKey: FAKE_API_KEY,
    timeoutMs: 5_000,
    maxRetries: 2,
    backoffScale: 0.01,
    ...over,
  });

const chatBody = { model: "glm-4.7", messages: [{ role: "user" as const, content: "hello there" }] };

async function streamAnswer(c: GlmClient, signal?: AbortSignal) {
  return collectChatStream(c.chatStream(chatBody, { signal }));
}

describe("GlmClient streaming", () => {
  it("streams reasoning then content and ends with finish_reason and usage", async () => {
    const phases: string[] = [];
    const a = await collectChatStream(client().chatStream(chatBody), (s) => phases.push(s.phase));
    expect(a.content).toContain("hello there");
    expect(a.reasoning.length).toBeGreaterThan(0);
    expect(a.finishReason).toBe("stop");
    expect(a.usage?.total_tokens).toBeGreaterThan(0);
    expect(phases[0]).toBe("thinking");
    expect(phases.at(-1)).toBe("answering");
    const req = fake.requests[0]!;
    expect(req.body.stream).toBe(true);
    expect(req.headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    expect(req.headers.accept).toBe("text/event-stream");
  });

  it("retries 1302 and succeeds, honouring retry-after-ms", async () => {
    fake.fail({ kind: "status", status: 429, code: "1302", retryAfterMs: "20" });
    const retries: number[] = [];
    const a = await collectChatStream(
      client({ backoffScale: 1 }).chatStream(chatBody, { onRetry: (r) => retries.push(r.delayMs) }),
    );
    expect(a.content).toContain("hello there");
    expect(fake.requests).toHaveLength(2);
    expect(retries).toEqual([20]);
  });

  it("gives up on 1305 after maxRetries with an OverloadedError", async () => {
    fake.fail({ kind: "status", status: 429, code: "1305" }, { times: Infinity });
    await expect(streamAnswer(client())).rejects.toBeInstanceOf(OverloadedError);
    expect(fake.requests).toHaveLength(3);
  });

  it.each([
    [401, "1000", AuthenticationError],
    [429, "1113", InsufficientBalanceError],
    [400, "1211", ModelNotFoundError],
  ])("does not retry HTTP %i / %s", async (status, code, cls) => {
    fake.fail({ kind: "status", status, code });
    await expect(streamAnswer(client())).rejects.toBeInstanceOf(cls);
    expect(fake.requests).toHaveLength(1);
  });

  it("the fake's own auth check produces an AuthenticationError for a wrong key", async () => {
    await expect(streamAnswer(client({ apiKey: "wrong-key-123456" }))).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it("retries 500 then succeeds", async () => {
    fake.fail({ kind: "status", status: 500, code: "1234" }, { times: 2 });
    const a = await streamAnswer(client());
    expect(a.finishReason).toBe("stop");
    expect(fake.requests).toHaveLength(3);
  });

  it("retries a connection reset before headers", async () => {
    fake.fail({ kind: "reset" });
    await expect(streamAnswer(client())).resolves.toMatchObject({ finishReason: "stop" });
    expect(fake.requests).toHaveLength(2);
  });

  it("does not retry a stream cut after chunks were consumed", async () => {
    fake.fail({ kind: "stream-cut", afterChunks: 2 });
    await expect(streamAnswer(client())).rejects.toBeInstanceOf(StreamInterruptedError);
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a stream cut before its first chunk", async () => {
    fake.fail({ kind: "stream-cut", afterChunks: 0 });
    await expect(streamAnswer(client())).resolves.toMatchObject({ finishReason: "stop" });
    expect(fake.requests).toHaveLength(2);
  });

  it("raises an in-stream error event as its typed error", async () => {
    fake.fail({ kind: "stream-error", afterChunks: 1, code: "1301" });
    await expect(streamAnswer(client())).rejects.toBeInstanceOf(ContentFilteredError);
    expect(fake.requests).toHaveLength(1);
  });

  it("retries an in-stream 1305 that arrives before any chunk", async () => {
    fake.fail({ kind: "stream-error", afterChunks: 0, code: "1305" });
    await expect(streamAnswer(client())).resolves.toMatchObject({ finishReason: "stop" });
    expect(fake.requests).toHaveLength(2);
  });

  it("turns finish_reason sensitive into a ContentFilteredError", async () => {
    fake.fail({ kind: "sensitive" });
    await expect(streamAnswer(client())).rejects.toBeInstanceOf(ContentFilteredError);
  });

  it("reports malformed stream JSON as InvalidResponseError after retries", async () => {
    fake.fail({ kind: "malformed-json" }, { times: Infinity });
    await expect(streamAnswer(client())).rejects.toBeInstanceOf(InvalidResponseError);
    expect(fake.requests).toHaveLength(3);
  });

  it("times out on a hang and closes the upstream request", async () => {
    fake.fail({ kind: "hang" }, { times: Infinity });
    await expect(streamAnswer(client({ timeoutMs: 200, maxRetries: 1 }))).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(fake.requests).toHaveLength(2);
    await expect.poll(() => fake.openRequests).toBe(0);
    expect(fake.requests.every((r) => r.aborted)).toBe(true);
  });

  it("keeps a slow but steady stream alive past the silence timeout", async () => {
    fake.fail({ kind: "slow", chunkDelayMs: 120 });
    const a = await streamAnswer(client({ timeoutMs: 400 }));
    expect(a.finishReason).toBe("stop");
    expect(fake.requests).toHaveLength(1);
  });

  it("cancellation aborts the upstream request and is not retried", async () => {
    fake.fail({ kind: "hang" });
    const ac = new AbortController();
    const p = streamAnswer(client(), ac.signal);
    await expect.poll(() => fake.openRequests).toBe(1);
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    await expect.poll(() => fake.requests[0]?.aborted).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it("fails fast without a key and sends nothing", async () => {
    await expect(streamAnswer(client({ apiKey: undefined }))).rejects.toBeInstanceOf(MissingApiKeyError);
    expect(fake.requests).toHaveLength(0);
  });

  it("reports an unreachable endpoint as a ConnectionError", async () => {
    const c = new GlmClient({
      baseUrl: "http://127.0.0.1:9/api/paas/v4",
      apiKey: FAKE_API_KEY,
      timeoutMs: 2000,
      maxRetries: 1,
      backoffScale: 0.01,
    });
    await expect(streamAnswer(c)).rejects.toBeInstanceOf(ConnectionError);
  });
});

describe("GlmClient JSON requests", () => {
  it("sends a non-stream chat and parses the completion", async () => {
    const r = await client().chat(chatBody);
    expect(r.choices[0]?.message.content).toContain("hello there");
    expect(fake.requests[0]?.body.stream).toBe(false);
  });

  it("retries malformed JSON then succeeds", async () => {
    fake.fail({ kind: "malformed-json" });
    const r = await client().embeddings({ model: "embedding-3", input: ["a", "b"], dimensions: 256 });
    expect(r.data).toHaveLength(2);
    expect(fake.requests).toHaveLength(2);
  });

  it("maps a 400 embeddings rejection without retrying", async () => {
    await expect(
      client().embeddings({ model: "embedding-3", input: ["a"], dimensions: 300 }),
    ).rejects.toMatchObject({ status: 400 });
    expect(fake.requests).toHaveLength(1);
  });

  it("gives up after maxRetries of 500 with a ServerError", async () => {
    fake.fail({ kind: "status", status: 500 }, { times: Infinity });
    await expect(client().chat(chatBody)).rejects.toBeInstanceOf(ServerError);
    expect(fake.requests).toHaveLength(3);
  });

  it("queues calls beyond maxConcurrency instead of sending them", async () => {
    fake.setLatency(150);
    const c = client({ maxConcurrency: 2 });
    const calls = Array.from({ length: 5 }, () => c.chat(chatBody));
    await expect.poll(() => fake.openRequests).toBe(2);
    expect(c.limiter.queued).toBe(3);
    await Promise.all(calls);
    expect(fake.requests).toHaveLength(5);
    expect(c.limiter.inFlight).toBe(0);
  });

  it("frees its concurrency slot after every kind of failure", async () => {
    const c = client({ maxConcurrency: 1, maxRetries: 0 });
    fake.fail({ kind: "status", status: 401, code: "1000" }, { times: 3 });
    fake.fail({ kind: "reset" }, { times: 2 });
    fake.fail({ kind: "stream-cut", afterChunks: 2 });
    // Each failure is the typed error of its kind, and none of them keeps the only slot.
    const expected = [
      AuthenticationError,
      AuthenticationError,
      AuthenticationError,
      ConnectionError,
      ConnectionError,
      StreamInterruptedError,
    ];
    for (const kind of expected) await expect(streamAnswer(c)).rejects.toBeInstanceOf(kind);
    expect(c.limiter.inFlight).toBe(0);
    await expect(streamAnswer(c)).resolves.toMatchObject({ finishReason: "stop" });
    await expect(
      streamAnswer(client({ apiKey: "bad-key-1234567", maxConcurrency: 1 })),
    ).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("a 429 1302 rate limit exhausted becomes a RateLimitError", async () => {
    fake.fail({ kind: "status", status: 429, code: "1302" }, { times: Infinity });
    await expect(client({ maxRetries: 0 }).chat(chatBody)).rejects.toBeInstanceOf(RateLimitError);
  });
});

describe("GlmClient against something that is not the GLM API", () => {
  it("does not retry an HTML page where an SSE stream was asked for, and says to check GLM_BASE_URL", async () => {
    const { createServer } = await import("node:http");
    let hits = 0;
    const gateway = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { "content-type": "text/html" }).end("<html>captive portal</html>");
    });
    await new Promise<void>((r) => gateway.listen(0, "127.0.0.1", r));
    try {
      const port = (gateway.address() as { port: number }).port;
      const c = new GlmClient({
        baseUrl: `http://127.0.0.1:${port}/api/paas/v4`,
        apiKey: FAKE_API_KEY,
        timeoutMs: 2000,
        maxRetries: 3,
        backoffScale: 0.01,
      });
      const err = await streamAnswer(c).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongEndpointError);
      expect((err as Error).message).toMatch(/GLM_BASE_URL.*GLM_CODING_PLAN/);
      expect(hits).toBe(1);
    } finally {
      gateway.closeAllConnections();
      await new Promise((r) => gateway.close(r));
    }
  });
});

describe("GlmClient reads an error body the same way on every path", () => {
  // The same upstream error as a 200 JSON answer, as JSON where a stream was asked for, and as an
  // error chunk inside the stream: one error class and one code, whichever path meets it.
  const bodies: unknown[] = [
    { error: { code: "1211", message: "模型不存在" } },
    { error: { code: 1302, message: "rate" } },
    { error: { code: null, message: "no code" } },
    { error: "Service Unavailable" },
  ];

  async function serve(send: (res: import("node:http").ServerResponse, body: string) => void) {
    const { createServer } = await import("node:http");
    let next = "";
    const server = createServer((_req, res) => send(res, next));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const c = new GlmClient({
      baseUrl: `http://127.0.0.1:${port}/api/paas/v4`,
      apiKey: FAKE_API_KEY,
      timeoutMs: 2000,
      maxRetries: 0,
    });
    return {
      c,
      set: (b: unknown) => (next = JSON.stringify(b)),
      close: () => {
        server.closeAllConnections();
        return new Promise((r) => server.close(r));
      },
    };
  }

  const describeErr = (e: unknown) => ({
    name: (e as Error).name,
    code: (e as { code?: string }).code,
    upstream: (e as { upstreamMessage?: string }).upstreamMessage,
  });

  it("as a JSON answer, as JSON for a stream request, and as an SSE error chunk", async () => {
    const json = await serve((res, b) => res.writeHead(200, { "content-type": "application/json" }).end(b));
    const sse = await serve((res, b) =>
      res.writeHead(200, { "content-type": "text/event-stream" }).end(`data: ${b}\n\n`),
    );
    try {
      for (const body of bodies) {
        json.set(body);
        sse.set(body);
        const viaPost = await json.c.postJson("/embeddings", {}).then(
          () => "resolved",
          (e: unknown) => e,
        );
        const viaJsonStream = await streamAnswer(json.c).catch((e: unknown) => e);
        const viaChunk = await streamAnswer(sse.c).catch((e: unknown) => e);
        expect(viaPost, JSON.stringify(body)).not.toBe("resolved");
        expect(describeErr(viaJsonStream), JSON.stringify(body)).toEqual(describeErr(viaPost));
        expect(describeErr(viaChunk), JSON.stringify(body)).toEqual(describeErr(viaPost));
      }
    } finally {
      await json.close();
      await sse.close();
    }
  });
});
