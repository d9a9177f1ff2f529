// The fake GLM upstream itself: it must reject what the real API rejects, with the same HTTP
// status and business code, and answer with the real shapes.
import { spawn } from "node:child_process";
import { once } from "node:events";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY, makeToneWav, parseWav, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";

let fake: FakeGlm;

beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.reset();
});

type Json = any;

async function post(
  path: string,
  body: unknown,
  init: { key?: string | null; signal?: AbortSignal; base?: string } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? FAKE_API_KEY}`;
  const res = await fetch((init.base ?? fake.baseUrl) + path, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const chat = (body: unknown, init?: Parameters<typeof post>[2]) => post("/chat/completions", body, init);
const embed = (body: unknown) => post("/embeddings", body);
const user = (content: unknown) => ({ role: "user", content });

function sseEvents(text: string): string[] {
  return text
    .split("\n\n")
    .filter((e) => e.trim())
    .map((e) => {
      expect(e.startsWith("data: ")).toBe(true);
      return e.slice("data: ".length);
    });
}

async function png(width: number, height: number): Promise<string> {
  const buf = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 10, b: 10 } } })
    .png()
    .toBuffer();
  return buf.toString("base64");
}

function expectError(
  r: { status: number; json: Json },
  status: number,
  code: string,
  messageIncludes?: string,
) {
  expect(r.status).toBe(status);
  expect(r.json).toMatchObject({ error: { code } });
  expect(typeof r.json.error.message).toBe("string");
  if (messageIncludes) expect(r.json.error.message).toContain(messageIncludes);
}

describe("auth and routing", () => {
  it("rejects a missing Authorization header with 401 / 1001 and a wrong key with 401 / 1000", async () => {
    const body = { model: "glm-4.7", messages: [user("hi")] };
    expectError(await chat(body, { key: null }), 401, "1001");
    expectError(await chat(body, { key: "nope" }), 401, "1000");
    expectError(
      await post("/embeddings", { model: "embedding-3", input: "x" }, { key: "wrong" }),
      401,
      "1000",
    );
    expectError(
      await post("/embeddings", { model: "embedding-3", input: "x" }, { key: FAKE_API_KEY.toUpperCase() }),
      401,
      "1000",
    );
  });

  it("serves the coding-plan prefix, 404s unknown paths, 1210s non-JSON bodies", async () => {
    const ok = await chat(
      { model: "glm-4.7", messages: [user("hi")] },
      { base: fake.url + "/api/coding/paas/v4" },
    );
    expect(ok.status).toBe(200);
    expect((await post("/nothing", {})).status).toBe(404);
    expectError(await chat("{not json"), 400, "1210");
    expectError(await chat("[1,2]"), 400, "1210");
    const get = await fetch(fake.baseUrl + "/chat/completions", {
      headers: { authorization: `Bearer ${FAKE_API_KEY}` },
    });
    expect(get.status).toBe(405);
  });

  it("cli.ts prints FAKE_GLM_BASE_URL and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/fake-glm/cli.ts", "--port", "0", "--latency", "1"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.setEncoding("utf8");
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d: string) => ((out += d), out.includes("\n") && resolve())),
    );
    const baseUrl = /^FAKE_GLM_BASE_URL=(\S+)$/m.exec(out)?.[1];
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/paas\/v4$/);
    const r = await fetch(baseUrl + "/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${FAKE_API_KEY}` },
      body: JSON.stringify({ model: "glm-4.5-air", messages: [user("cli")] }),
    });
    expect(((await r.json()) as Json).choices[0].message.content).toBe("Echo: cli");
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });
});

describe("chat validation", () => {
  it("1213 for a missing model or messages, 1211 for an unknown model", async () => {
    expectError(await chat({ messages: [user("hi")] }), 400, "1213", "model");
    expectError(await chat({ model: "glm-4.7" }), 400, "1213", "messages");
    expectError(await chat({ model: "gpt-4o", messages: [user("hi")] }), 400, "1211");
  });

  it("1214 naming the field for out-of-range parameters", async () => {
    const base = { model: "glm-4.7", messages: [user("hi")] };
    expectError(await chat({ ...base, temperature: 1.5 }), 400, "1214", "temperature");
    expectError(await chat({ ...base, top_p: 0 }), 400, "1214", "top_p");
    expectError(await chat({ ...base, max_tokens: 0 }), 400, "1214", "max_tokens");
    expectError(await chat({ ...base, max_tokens: 131073 }), 400, "1210", "限制数值范围[1,131072]");
    expectError(
      await chat({ ...base, model: "glm-4.6v", max_tokens: 32769 }),
      400,
      "1210",
      "max_tokens参数非法：限制数值范围[1,32768]",
    );
    expectError(await chat({ ...base, thinking: { type: "on" } }), 400, "1214", "thinking.type");
    expectError(
      await chat({ ...base, thinking: { type: "enabled", clear_thinking: "no" } }),
      400,
      "1214",
      "clear_thinking",
    );
    expectError(await chat({ ...base, stop: ["a", "b"] }), 400, "1214", "stop");
    expectError(await chat({ ...base, response_format: { type: "xml" } }), 400, "1214", "response_format");
    expectError(
      await chat({ ...base, model: "glm-4.6v", response_format: { type: "json_object" } }),
      400,
      "1214",
      "response_format",
    );
    expectError(
      await chat({ ...base, messages: [{ role: "system", content: "s" }] }),
      400,
      "1214",
      "messages",
    );
    expectError(
      await chat({ ...base, messages: [user("hi"), { role: "tool", content: "r" }] }),
      400,
      "1214",
      "tool_call_id",
    );
    expectError(await chat({ ...base, messages: [{ role: "bot", content: "x" }] }), 400, "1214", "role");
    expect((await chat({ ...base, temperature: 0, top_p: 1, max_tokens: 131072, stop: ["x"] })).status).toBe(
      200,
    );
  });

  it("rejects content parts sent to a text model", async () => {
    const img = { type: "image_url", image_url: { url: "https://example.com/a.png" } };
    expectError(
      await chat({ model: "glm-4.7", messages: [user([{ type: "text", text: "what" }, img])] }),
      400,
      "1210",
    );
    expectError(
      await chat({ model: "glm-4.7", messages: [user([{ type: "text", text: "what" }])] }),
      400,
      "1214",
    );
  });
});

describe("vision content", () => {
  const ask = (parts: unknown[], model = "glm-4.6v") =>
    chat({ model, messages: [user([{ type: "text", text: "describe" }, ...parts])] });
  const image = (url: string) => ({ type: "image_url", image_url: { url } });

  it("accepts a base64 png, bare or with a data: prefix, and URLs", async () => {
    const b64 = await png(64, 32);
    const r = await ask([
      image(b64),
      image(`data:image/png;base64,${b64}`),
      image("https://example.com/x.jpg"),
    ]);
    expect(r.status).toBe(200);
    expect(r.json.choices[0].message.content).toBe("Echo: describe [3 images]");
  });

  it("rejects an image wider than 6000 px, a webp, undecodable base64 and over-5MB images", async () => {
    expectError(await ask([image(await png(7000, 100))]), 400, "1210", "6000");
    const webp = (
      await sharp({ create: { width: 8, height: 8, channels: 3, background: "#00f" } })
        .webp()
        .toBuffer()
    ).toString("base64");
    expectError(await ask([image(webp)]), 400, "1210", "webp");
    expectError(await ask([image("not base64 at all!")]), 400, "1210");
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1).toString("base64");
    expectError(await ask([image(big)]), 400, "1210", "5M");
  });

  it("glm-4v-flash takes one image and no base64", async () => {
    expectError(await ask([image(await png(8, 8))], "glm-4v-flash"), 400, "1210", "Base64");
    const url = image("https://example.com/a.png");
    expectError(await ask([url, url], "glm-4v-flash"), 400, "1210", "1");
    expect((await ask([url], "glm-4v-flash")).status).toBe(200);
  });

  it("caps images at 50 per request", async () => {
    const url = image("https://example.com/a.png");
    expectError(await ask(Array(51).fill(url)), 400, "1210", "50");
    expect((await ask(Array(50).fill(url))).status).toBe(200);
  });

  it("file_url is URL only and cannot be mixed with images in one message", async () => {
    const file = { type: "file_url", file_url: { url: "https://example.com/a.pdf" } };
    expectError(await ask([file, image("https://example.com/a.png")]), 400, "1210", "file_url");
    expectError(
      await ask([{ type: "file_url", file_url: { url: Buffer.from("%PDF-1.4").toString("base64") } }]),
      400,
      "1210",
      "Base64",
    );
    expect((await ask([file])).status).toBe(200);
  });

  it("video_url accepts URLs and base64 mp4/mkv, rejects other base64", async () => {
    const mp4 = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from("ftypisom"),
      Buffer.alloc(16),
    ]).toString("base64");
    const mkv = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(20)]).toString("base64");
    const video = (url: string) => ({ type: "video_url", video_url: { url } });
    const r = await ask([video(mp4), video(mkv), video("https://example.com/v.mp4")]);
    expect(r.status).toBe(200);
    expect(r.json.choices[0].message.content).toContain("[3 videos]");
    expectError(await ask([video(Buffer.from("GIF89a not a video").toString("base64"))]), 400, "1210", "mp4");
  });

  it("rejects malformed parts with 1214", async () => {
    expectError(await ask([{ type: "image_url", image_url: "https://x/a.png" }]), 400, "1214", "image_url");
    expectError(await ask([{ type: "picture", url: "x" }]), 400, "1214", "type");
  });
});

describe("chat answers", () => {
  it("non-stream shape, reasoning by default, none when thinking is disabled", async () => {
    const r = await chat({ model: "glm-4.7", messages: [user("hello there")], request_id: "req-123456" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      id: expect.any(String),
      request_id: "req-123456",
      created: expect.any(Number),
      model: "glm-4.7",
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          message: {
            role: "assistant",
            content: "Echo: hello there",
            reasoning_content: "Reasoning about: hello there",
          },
        },
      ],
      usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
    expect(r.json.usage.total_tokens).toBe(r.json.usage.prompt_tokens + r.json.usage.completion_tokens);
    const off = await chat({ model: "glm-4.7", messages: [user("hi")], thinking: { type: "disabled" } });
    expect(off.json.choices[0].message.reasoning_content).toBeUndefined();
    // GLM-4.1V-Thinking has no thinking switch (ChatThinking: GLM-4.5 and later) and always reasons.
    const always = await chat({ model: "glm-4.1v-thinking-flash", messages: [user("hi")] });
    expect(always.json.choices[0].message.reasoning_content).toContain("Reasoning about");
  });

  it("json_object mode, cached tokens on continuations, finish_reason length", async () => {
    const j = await chat({
      model: "glm-4.6",
      messages: [user("x")],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(j.json.choices[0].message.content)).toEqual({ echo: "x" });
    const cont = await chat({
      model: "glm-4.6",
      messages: [user("first question"), { role: "assistant", content: "answer" }, user("second")],
    });
    expect(cont.json.usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0);
    const short = await chat({
      model: "glm-4.6",
      thinking: { type: "disabled" },
      max_tokens: 2,
      messages: [user("a fairly long question here")],
    });
    expect(short.json.choices[0].finish_reason).toBe("length");
    expect(short.json.choices[0].message.content.length).toBeLessThan(
      "Echo: a fairly long question here".length,
    );
  });

  it("scripted answers override the echo", async () => {
    fake.answer(
      {
        content: "scripted",
        reasoning_content: "",
        finish_reason: "stop",
        usage: { prompt_tokens: 1, completion_tokens: 2 },
      },
      { times: 2 },
    );
    for (let i = 0; i < 2; i++) {
      const r = await chat({ model: "glm-4.7", messages: [user("hi")] });
      expect(r.json.choices[0].message).toEqual({ role: "assistant", content: "scripted" });
      expect(r.json.usage).toMatchObject({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    }
    expect((await chat({ model: "glm-4.7", messages: [user("hi")] })).json.choices[0].message.content).toBe(
      "Echo: hi",
    );
  });

  it("streams reasoning deltas, then content deltas, then one last chunk with finish_reason + usage, then [DONE]", async () => {
    const r = await chat({ model: "glm-4.7", stream: true, messages: [user("stream me please")] });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/event-stream");
    const events = sseEvents(r.text);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Json);
    const kinds = chunks.map((c) =>
      c.choices[0].finish_reason ? "final" : c.choices[0].delta.reasoning_content ? "reasoning" : "content",
    );
    const firstContent = kinds.indexOf("content");
    expect(kinds.slice(0, firstContent).every((k) => k === "reasoning")).toBe(true);
    expect(firstContent).toBeGreaterThan(1);
    expect(kinds.lastIndexOf("reasoning")).toBeLessThan(firstContent);
    expect(kinds.filter((k) => k === "content").length).toBeGreaterThan(1);
    expect(kinds.at(-1)).toBe("final");
    expect(kinds.filter((k) => k === "final")).toHaveLength(1);
    const last = chunks.at(-1);
    expect(last).toMatchObject({
      id: expect.any(String),
      created: expect.any(Number),
      model: "glm-4.7",
      usage: { total_tokens: expect.any(Number) },
    });
    expect(last.choices[0]).toMatchObject({ index: 0, finish_reason: "stop", delta: { content: "" } });
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined)).toBe(true);
    expect(chunks.map((c) => c.choices[0].delta.content ?? "").join("")).toBe("Echo: stream me please");
    expect(chunks.map((c) => c.choices[0].delta.reasoning_content ?? "").join("")).toBe(
      "Reasoning about: stream me please",
    );
  });

  it("answers a stream request with a JSON error (not SSE) when it is invalid", async () => {
    const r = await chat({ model: "nope", stream: true, messages: [user("x")] });
    expectError(r, 400, "1211");
    expect(r.headers.get("content-type")).toContain("application/json");
  });
});

describe("faults", () => {
  const body = { model: "glm-4.7", messages: [user("hi")] };
  const streamBody = { ...body, stream: true };

  it("status: error JSON with the status, code and Retry-After headers, then normal again", async () => {
    fake.fail({ kind: "status", status: 429, code: "1302", retryAfter: "2", retryAfterMs: "150" });
    const r = await chat(body);
    expectError(r, 429, "1302");
    expect(r.headers.get("retry-after")).toBe("2");
    expect(r.headers.get("retry-after-ms")).toBe("150");
    expect((await chat(body)).status).toBe(200);
    fake.fail({ kind: "status", status: 500 });
    expectError(await chat(body), 500, "500");
  });

  it("times and path select which requests fail", async () => {
    fake.fail({ kind: "status", status: 429, code: "1305" }, { times: 2, path: "/embeddings" });
    expect((await chat(body)).status).toBe(200);
    expectError(await embed({ model: "embedding-3", input: "a" }), 429, "1305");
    expectError(await embed({ model: "embedding-3", input: "a" }), 429, "1305");
    expect((await embed({ model: "embedding-3", input: "a" })).status).toBe(200);
    fake.fail({ kind: "status", status: 503 }, { times: Infinity });
    for (let i = 0; i < 3; i++) expect((await chat(body)).status).toBe(503);
  });

  it("reset: the socket dies before headers", async () => {
    fake.fail({ kind: "reset" });
    await expect(chat(body)).rejects.toThrow();
    expect(fake.requests.at(-1)?.aborted).toBe(false);
  });

  it("hang: ends when the client aborts, and the request is recorded as aborted", async () => {
    fake.fail({ kind: "hang" });
    const ac = new AbortController();
    const p = chat(body, { signal: ac.signal });
    await vi_waitFor(() => fake.openRequests === 1);
    ac.abort();
    await expect(p).rejects.toThrow();
    await vi_waitFor(() => fake.openRequests === 0);
    expect(fake.requests.at(-1)?.aborted).toBe(true);
  });

  it("hang: ends when the fake closes", async () => {
    const other = await startFakeGlm();
    other.fail({ kind: "hang" });
    const p = fetch(other.baseUrl + "/chat/completions", { method: "POST", body: "{}" });
    await vi_waitFor(() => other.openRequests === 1);
    await other.close();
    await expect(p).rejects.toThrow();
    expect(other.requests[0]?.aborted).toBe(false);
  });

  it("marks a stream the client cancels mid-way as aborted and closes it", async () => {
    fake.setChunkDelay(50);
    const ac = new AbortController();
    const res = await fetch(fake.baseUrl + "/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${FAKE_API_KEY}` },
      body: JSON.stringify(streamBody),
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("data: {");
    expect(fake.openRequests).toBe(1);
    ac.abort();
    await vi_waitFor(() => fake.openRequests === 0);
    expect(fake.requests.at(-1)?.aborted).toBe(true);
  });

  it("malformed-json: a 200 that is not JSON (non-stream) or an SSE data line that is not JSON", async () => {
    fake.fail({ kind: "malformed-json" }, { times: 2 });
    const r = await chat(body);
    expect(r.status).toBe(200);
    expect(r.json).toBeUndefined();
    const s = await chat(streamBody);
    expect(s.headers.get("content-type")).toContain("text/event-stream");
    expect(() => JSON.parse(sseEvents(s.text)[0]!)).toThrow();
  });

  it("stream-cut: N chunks, then the connection dies without [DONE]", async () => {
    fake.fail({ kind: "stream-cut", afterChunks: 2 });
    const res = await fetch(fake.baseUrl + "/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${FAKE_API_KEY}` },
      body: JSON.stringify(streamBody),
    });
    expect(res.status).toBe(200);
    let text = "";
    const reader = res.body!.getReader();
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          text += new TextDecoder().decode(value);
        }
      })(),
    ).rejects.toThrow();
    const events = sseEvents(text);
    expect(events).toHaveLength(2);
    expect(events).not.toContain("[DONE]");
    expect(fake.requests.at(-1)?.aborted).toBe(false);
  });

  it("stream-error: N chunks then an in-stream error object; non-stream gets the error status", async () => {
    fake.fail({ kind: "stream-error", afterChunks: 1, code: "1301" }, { times: 2 });
    const s = await chat(streamBody);
    const events = sseEvents(s.text);
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1]!)).toMatchObject({ error: { code: "1301", message: expect.any(String) } });
    expectError(await chat(body), 400, "1301");
  });

  it("sensitive: finish_reason sensitive with content_filter", async () => {
    fake.fail({ kind: "sensitive" }, { times: 3 });
    const r = await chat(body);
    expect(r.json.choices[0].finish_reason).toBe("sensitive");
    expect(r.json.content_filter).toEqual([{ role: "assistant", level: 1 }]);
    const chunks = sseEvents((await chat(streamBody)).text);
    const last = JSON.parse(chunks.at(-2)!);
    expect(last.choices[0].finish_reason).toBe("sensitive");
    expect(last.content_filter).toBeDefined();
    expectError(await embed({ model: "embedding-3", input: "x" }), 400, "1301");
  });

  it("slow: chunks trickle with the delay; latency delays headers", async () => {
    fake.fail({ kind: "slow", chunkDelayMs: 40 });
    let t = Date.now();
    await chat(streamBody);
    expect(Date.now() - t).toBeGreaterThanOrEqual(6 * 40 - 10);
    fake.setLatency(120);
    t = Date.now();
    await chat(body);
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
  });
});

describe("latency that includes the fake's work (benchmarks)", () => {
  it("answers JSON, streams and errors no sooner than the latency, each whole and in order", async () => {
    const slow = await startFakeGlm({ latencyMs: 250, latencyIncludesWork: true });
    try {
      const timed = async <T>(run: () => Promise<T>) => {
        const started = performance.now();
        const value = await run();
        return { value, ms: performance.now() - started };
      };
      const embedded = await timed(() =>
        post(
          "/embeddings",
          { model: "embedding-3", input: ["a", "b"], dimensions: 256 },
          { base: slow.baseUrl },
        ),
      );
      expect(embedded.ms).toBeGreaterThanOrEqual(240);
      expect(embedded.value.json.data.map((d: Json) => d.embedding.length)).toEqual([256, 256]);

      const streamed = await timed(() =>
        chat({ model: "glm-4.6", messages: [user("hi")], stream: true }, { base: slow.baseUrl }),
      );
      expect(streamed.ms).toBeGreaterThanOrEqual(240);
      expect(streamed.value.headers.get("content-type")).toMatch(/text\/event-stream/);
      const events = sseEvents(streamed.value.text);
      expect(events.at(-1)).toBe("[DONE]");
      expect(events.length).toBeGreaterThan(2);

      const refused = await timed(() =>
        chat({ model: "glm-4.6", messages: [user("hi")] }, { base: slow.baseUrl, key: "wrong-key" }),
      );
      expect(refused.ms).toBeGreaterThanOrEqual(240);
      expectError(refused.value, 401, "1000");
    } finally {
      await slow.close();
    }
  });
});

describe("embeddings", () => {
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

  it("answers the documented shape with 2048 dimensions by default", async () => {
    const r = await embed({ model: "embedding-3", input: ["alpha", "beta"] });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ model: "embedding-3", object: "list", usage: { completion_tokens: 0 } });
    expect(r.json.data.map((d: Json) => [d.index, d.object, d.embedding.length])).toEqual([
      [0, "embedding", 2048],
      [1, "embedding", 2048],
    ]);
    expect(Math.abs(cos(r.json.data[0].embedding, r.json.data[0].embedding) - 1)).toBeLessThan(1e-5);
    expect(r.json.usage.total_tokens).toBe(r.json.usage.prompt_tokens);
  });

  it("rejects 65 inputs, empty inputs, bad dimensions and unknown models", async () => {
    expectError(await embed({ model: "embedding-3", input: Array(65).fill("x") }), 400, "1214", "input");
    expect((await embed({ model: "embedding-3", input: Array(64).fill("x") })).status).toBe(200);
    expectError(await embed({ model: "embedding-3", input: [] }), 400, "1214");
    expectError(await embed({ model: "embedding-3", input: ["ok", ""] }), 400, "1214");
    expectError(await embed({ model: "embedding-3" }), 400, "1213", "input");
    expectError(
      await embed({ model: "embedding-3", input: "x", dimensions: 300 }),
      400,
      "1214",
      "dimensions",
    );
    expectError(await embed({ model: "text-embedding-3-small", input: "x" }), 400, "1211");
    expectError(await embed({ model: "embedding-3", input: "word ".repeat(20000) }), 400, "1261");
  });

  it("embedding-2 is fixed at 1024 dimensions", async () => {
    expect((await embed({ model: "embedding-2", input: "x" })).json.data[0].embedding).toHaveLength(1024);
    expect((await embed({ model: "embedding-2", input: "x", dimensions: 1024 })).status).toBe(200);
    expectError(
      await embed({ model: "embedding-2", input: "x", dimensions: 512 }),
      400,
      "1214",
      "dimensions",
    );
    expect(
      (await embed({ model: "embedding-3", input: "x", dimensions: 256 })).json.data[0].embedding,
    ).toHaveLength(256);
  });

  it("equal texts give equal vectors; related texts are closer than unrelated ones", async () => {
    const texts = [
      "The cat sat on the mat",
      "The cat sat on the mat",
      "A cat is sitting on a mat",
      "Quarterly revenue grew in Europe",
      "猫坐在垫子上",
      "猫在垫子上睡觉",
    ];
    const r = await embed({ model: "embedding-3", input: texts, dimensions: 1024 });
    const v = r.json.data.map((d: Json) => d.embedding as number[]);
    expect(v[0]).toEqual(v[1]);
    expect(cos(v[0], v[2])).toBeGreaterThan(cos(v[0], v[3]) + 0.2);
    expect(cos(v[4], v[5])).toBeGreaterThan(cos(v[4], v[3]) + 0.2);
  });
});

describe("glm-4-voice", () => {
  const wav = () => makeToneWav({ durationMs: 300, sampleRate: 16000 }).toString("base64");
  const audioPart = (data: string, format = "wav") => ({
    type: "input_audio",
    input_audio: { data, format },
  });

  it("accepts wav input and replies with text plus a valid 44.1 kHz mono 16-bit WAV", async () => {
    const r = await chat({
      model: "glm-4-voice",
      messages: [user([{ type: "text", text: "repeat" }, audioPart(wav())])],
    });
    expect(r.status).toBe(200);
    const msg = r.json.choices[0].message;
    expect(msg.content).toBe("Echo: repeat [1 audio]");
    expect(msg.reasoning_content).toBeUndefined();
    expect(msg.audio).toMatchObject({
      id: expect.any(String),
      data: expect.any(String),
      expires_at: expect.any(Number),
    });
    const info = parseWav(Buffer.from(msg.audio.data, "base64"));
    expect(info).toMatchObject({ sampleRate: 44100, channels: 1, bitsPerSample: 16, audioFormat: 1 });
    expect(info!.durationSec).toBeCloseTo(0.5, 2);

    // Multi-turn: the issued audio id is accepted back, an invented one is not.
    const turn2 = (id: string) => ({
      model: "glm-4-voice",
      messages: [user("hi"), { role: "assistant", audio: { id } }, user("again")],
    });
    expect((await chat(turn2(msg.audio.id))).status).toBe(200);
    expectError(await chat(turn2("made-up")), 400, "1214", "audio");
  });

  it("validates format, base64, container and duration", async () => {
    const ask = (part: unknown) => chat({ model: "glm-4-voice", messages: [user([part])] });
    expectError(await ask(audioPart(wav(), "ogg")), 400, "1214", "format");
    expectError(await ask(audioPart(wav(), "mp3")), 400, "1210", "mp3");
    expectError(await ask(audioPart("%%%")), 400, "1210");
    expectError(await ask(audioPart(Buffer.from("RIFF....AVI LIST").toString("base64"))), 400, "1210", "wav");
    const mp3 = Buffer.concat([
      Buffer.from("ID3"),
      Buffer.from([3, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0xff, 0xfb, 0x90, 0x64]),
      Buffer.alloc(400),
    ]);
    expect((await ask(audioPart(mp3.toString("base64"), "mp3"))).status).toBe(200);
    // An 11-minute WAV (header says so; 8 kHz 8-bit keeps it small).
    const long = makeToneWav({ durationMs: 11 * 60 * 1000, sampleRate: 2000 });
    expectError(await ask(audioPart(long.toString("base64"))), 400, "1210", "10");
    expectError(
      await chat({ model: "glm-4-voice", max_tokens: 4097, messages: [user("x")] }),
      400,
      "1210",
      "限制数值范围[1,4096]",
    );
    // AudioMultimodalContentItem has text and input_audio only: any other part type is illegal.
    expectError(
      await ask({ type: "image_url", image_url: { url: "https://x/a.png" } }),
      400,
      "1214",
      "取值为 text、input_audio",
    );
  });

  it("streams audio in delta.audio pieces that concatenate to the WAV", async () => {
    const r = await chat({ model: "glm-4-voice", stream: true, messages: [user([audioPart(wav())])] });
    const chunks = sseEvents(r.text)
      .slice(0, -1)
      .map((e) => JSON.parse(e) as Json);
    const audio = chunks.map((c) => c.choices[0].delta.audio).filter(Boolean);
    expect(audio.length).toBeGreaterThan(1);
    const bytes = Buffer.concat(audio.map((a: Json) => Buffer.from(a.data, "base64")));
    expect(parseWav(bytes)?.sampleRate).toBe(44100);
    expect(new Set(audio.map((a: Json) => a.id)).size).toBe(1);
  });
});

describe("recording", () => {
  it("records every request in order, rejected ones included, with headers and parsed bodies", async () => {
    await chat({ model: "glm-4.7", messages: [user("one")] });
    await chat({ model: "bad", messages: [user("two")] }, { key: null });
    await post("/embeddings", "not json");
    expect(fake.requests.map((r) => [r.method, r.path])).toEqual([
      ["POST", "/api/paas/v4/chat/completions"],
      ["POST", "/api/paas/v4/chat/completions"],
      ["POST", "/api/paas/v4/embeddings"],
    ]);
    const [first, second, third] = fake.requests;
    expect(first!.headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    expect(first!.body.messages[0].content).toBe("one");
    expect(second!.headers.authorization).toBeUndefined();
    expect(third!.body).toBeUndefined();
    expect(third!.rawBody).toBe("not json");
    expect(first!.at).toBeLessThanOrEqual(third!.at);
    expect(fake.requests.every((r) => !r.aborted)).toBe(true);
    expect(fake.openRequests).toBe(0);
  });
});

async function vi_waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
