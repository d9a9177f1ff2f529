// The fake is as strict as the platform: OpenAPI-schema validation of every request body, the
// per-model rules the schema cannot express, the coding-plan endpoint, the file parser, and the
// scriptable answer shapes clients must cope with (part arrays, chunked voice WAVs, <answer> tags,
// HTML 404s, recoverable realtime errors).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  FAKE_API_KEY,
  HTML_404,
  SPEC_FILE,
  makePdf,
  parseWav,
  startFakeGlm,
  startFakeRealtime,
  type FakeGlm,
} from "../fake-glm/index.js";

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => fake.reset());

type Json = any;

async function send(url: string, init: RequestInit = {}) {
  const res = await fetch(url, {
    method: "POST",
    ...init,
    headers: { authorization: `Bearer ${FAKE_API_KEY}`, ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text, json };
}

const post = (path: string, body: unknown, base = fake.baseUrl) =>
  send(base + path, { body: JSON.stringify(body), headers: { "content-type": "application/json" } });
const chat = (body: unknown, base?: string) => post("/chat/completions", body, base);
const user = (content: unknown) => ({ role: "user", content });
const codingBase = () => fake.url + "/api/coding/paas/v4";

function expectError(r: { status: number; json: Json }, status: number, code: string, text?: string) {
  expect(r.status).toBe(status);
  expect(r.json).toMatchObject({ error: { code } });
  if (text) expect(r.json.error.message).toContain(text);
}

describe("the vendored OpenAPI spec", () => {
  const vendored = readFileSync(SPEC_FILE);

  it("is the platform's 2026-07-11 document, pinned by hash", () => {
    const spec = JSON.parse(vendored.toString("utf8"));
    expect(spec.openapi).toBe("3.0.1");
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        "/paas/v4/chat/completions",
        "/paas/v4/embeddings",
        "/paas/v4/files/parser/sync",
      ]),
    );
    expect(createHash("sha256").update(vendored).digest("hex")).toBe(VENDORED_SHA256);
  });

  it("equals ../shared/glm-api/openapi-2026-07-11.json byte for byte when that file is present", () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    // CI: the clone with shared/ beside it; locally also a worktree one level deeper.
    const candidates = ["../shared", "../../shared"].map(
      (d) => `${root}${d}/glm-api/openapi-2026-07-11.json`,
    );
    const shared = candidates.find((p) => existsSync(p));
    const expected = shared ? readFileSync(shared) : vendored;
    expect(vendored.equals(expected)).toBe(true);
  });
});

/** sha256 of /work/shared/glm-api/openapi-2026-07-11.json as copied (a changed copy must be re-pinned). */
const VENDORED_SHA256 = "c3754a1265e6f88dbba1404520d50773f7f7bd586fb2d676dde62d1c1bfe377e";

describe("schema validation (openapi requestBody schemas)", () => {
  const vision = (parts: unknown[]) =>
    chat({ model: "glm-4.6v", messages: [user([{ type: "text", text: "what" }, ...parts])] });

  it("rejects an unknown content-part type with 1214 listing the allowed types", async () => {
    expectError(
      await vision([{ type: "picture", url: "https://x/a.png" }]),
      400,
      "1214",
      "messages[0].content[1].type",
    );
    const r = await vision([{ type: "audio_url", audio_url: { url: "https://x/a.wav" } }]);
    expectError(r, 400, "1214", "取值为 text、image_url、video_url、file_url");
  });

  it("rejects a wrong field type with 1214 naming the field", async () => {
    const base = { model: "glm-4.7", messages: [user("hi")] };
    expectError(await chat({ ...base, temperature: "hot" }), 400, "1214", "temperature");
    expectError(await chat({ ...base, stream: "yes" }), 400, "1214", "stream");
    expectError(await chat({ ...base, tool_choice: "none" }), 400, "1214", "tool_choice");
    expectError(
      await vision([{ type: "image_url", image_url: "https://x/a.png" }]),
      400,
      "1214",
      "image_url",
    );
    expectError(
      await vision([{ type: "image_url", image_url: { url: "https://x/a.png", detail: "high" } }]),
      400,
      "1214",
      "image_url",
    );
    expectError(
      await post("/embeddings", { model: "embedding-3", input: ["a"], dimensions: 300 }),
      400,
      "1214",
      "dimensions",
    );
  });

  it("rejects a missing required field with 1213 naming it", async () => {
    expectError(await chat({ model: "glm-4.7" }), 400, "1213", "messages");
    expectError(await vision([{ type: "image_url", image_url: {} }]), 400, "1213", "image_url.url");
    expectError(
      await chat({
        model: "glm-4-voice",
        messages: [user([{ type: "input_audio", input_audio: { format: "wav" } }])],
      }),
      400,
      "1213",
      "input_audio.data",
    );
    expectError(await post("/embeddings", { model: "embedding-3" }), 400, "1213", "input");
  });

  it("accepts what the schemas allow", async () => {
    expect((await vision([{ type: "image_url", image_url: { url: "https://x/a.png" } }])).status).toBe(200);
    expect((await post("/embeddings", { model: "embedding-3", input: "a", dimensions: 256 })).status).toBe(
      200,
    );
    expect(
      (
        await chat({
          model: "glm-4.7",
          messages: [{ role: "system", content: "s" }, user("hi")],
          temperature: 0.55,
          top_p: 0.01,
          stop: ["x"],
          response_format: { type: "json_object" },
          thinking: { type: "enabled", clear_thinking: false },
        })
      ).status,
    ).toBe(200);
  });
});

describe("per-model rules", () => {
  it.each([
    ["glm-4v-flash", 1024],
    ["glm-4.5-air", 98304],
    ["glm-4.5-flash", 98304],
    ["glm-4.5v", 16384],
    ["glm-4.1v-thinking-flash", 16384],
    ["glm-4.6v", 32768],
    ["glm-4.6", 131072],
    ["glm-4.7", 131072],
    ["glm-4-voice", 4096],
  ])("%s: max_tokens up to %i, one more is GLM's 1210 range message", async (model, max) => {
    const base = { model, messages: [user("hi")] };
    expect((await chat({ ...base, max_tokens: max })).status).toBe(200);
    const r = await chat({ ...base, max_tokens: max + 1 });
    expectError(r, 400, "1210");
    expect(r.json.error.message).toBe(`max_tokens参数非法：限制数值范围[1,${max}]`);
  });

  it("temperature and top_p: two decimals at most, top_p in [0.01, 1]", async () => {
    const base = { model: "glm-4.7", messages: [user("hi")] };
    expectError(await chat({ ...base, temperature: 0.555 }), 400, "1214", "temperature");
    expectError(await chat({ ...base, top_p: 0.955 }), 400, "1214", "限两位小数");
    expectError(await chat({ ...base, top_p: 0.005 }), 400, "1214", "top_p");
    expectError(await chat({ ...base, top_p: 0 }), 400, "1214", "top_p");
    expect((await chat({ ...base, temperature: 0.29, top_p: 1 })).status).toBe(200);
  });

  it("thinking only for GLM-4.5 and later", async () => {
    const thinking = { type: "enabled" };
    for (const model of ["glm-4-flash-250414", "glm-4v-flash", "glm-4.1v-thinking-flash", "glm-4-voice"])
      expectError(await chat({ model, messages: [user("hi")], thinking }), 400, "1214", "thinking");
    for (const model of ["glm-4.5-air", "glm-4.7", "glm-4.6v"])
      expect((await chat({ model, messages: [user("hi")], thinking })).status).toBe(200);
    expect((await chat({ model: "glm-4-flash-250414", messages: [user("hi")] })).status).toBe(200);
  });

  it("image URLs: jpg/png/jpeg (or no extension) pass, other image formats are refused", async () => {
    const ask = (url: string, model = "glm-4.6v") =>
      chat({
        model,
        messages: [
          user([
            { type: "image_url", image_url: { url } },
            { type: "text", text: "?" },
          ]),
        ],
      });
    for (const ext of ["webp", "gif", "avif", "svg", "bmp"])
      expectError(await ask(`https://host/x.${ext}`), 400, "1210", "仅支持 jpg、png、jpeg");
    expectError(await ask("https://host/x.WEBP?v=1"), 400, "1210");
    for (const url of [
      "https://host/x.jpg",
      "https://host/x.PNG",
      "https://host/x.jpeg?v=2",
      "https://host/img",
    ])
      expect((await ask(url)).status).toBe(200);
  });

  it("glm-4v-flash: one image, URL only", async () => {
    const img = (url: string) => ({ type: "image_url", image_url: { url } });
    expectError(
      await chat({
        model: "glm-4v-flash",
        messages: [user([img("https://h/a.png"), img("https://h/b.png")])],
      }),
      400,
      "1210",
      "最多支持 1 张",
    );
    const png = makeTinyPngBase64();
    expectError(await chat({ model: "glm-4v-flash", messages: [user([img(png)])] }), 400, "1210", "Base64");
    expect((await chat({ model: "glm-4v-flash", messages: [user([img("https://h/a.png")])] })).status).toBe(
      200,
    );
  });

  it("model codes are matched exactly: other spellings are GLM's 1211", async () => {
    for (const model of ["GLM-4.6V", "glm-4.6V", " glm-4.7", "glm4.7"])
      expectError(await chat({ model, messages: [user("hi")] }), 400, "1211", "模型不存在");
    expectError(await post("/embeddings", { model: "Embedding-3", input: "a" }), 400, "1211");
  });
});

describe("the coding-plan endpoint (/api/coding/paas/v4)", () => {
  it("serves the coding chat models", async () => {
    for (const model of ["glm-4.7", "glm-4.6", "glm-4.5-air", "glm-5.1"])
      expect((await chat({ model, messages: [user("hi")] }, codingBase())).status).toBe(200);
  });

  it("answers 1211 for vision, voice, GLM-4 and embedding models, which the standard endpoint serves", async () => {
    for (const model of ["glm-4.6v", "glm-4v-flash", "glm-4-voice", "glm-4-flash-250414"]) {
      expectError(await chat({ model, messages: [user("hi")] }, codingBase()), 400, "1211", model);
      expect((await chat({ model, messages: [user("hi")] })).status).toBe(200);
    }
    expectError(await post("/embeddings", { model: "embedding-3", input: "a" }, codingBase()), 400, "1211");
  });
});

describe("wrong base URLs", () => {
  it("a path outside the API prefixes gets the gateway's HTML 404, not JSON", async () => {
    for (const path of ["/v1/chat/completions", "/api/paas/v3/chat/completions", "/chat/completions"]) {
      const r = await send(fake.url + path, { body: "{}" });
      expect(r.status).toBe(404);
      expect(r.contentType).toContain("text/html");
      expect(r.json).toBeUndefined();
      expect(r.text).toBe(HTML_404);
    }
    const r = await send(fake.baseUrl + "/no/such/route", { body: "{}" });
    expectError(r, 404, "1222");
  });

  it("can be scripted for any path with the html-404 fault", async () => {
    fake.fail({ kind: "html-404" });
    const r = await chat({ model: "glm-4.7", messages: [user("hi")] });
    expect(r.status).toBe(404);
    expect(r.text).toBe(HTML_404);
    expect((await chat({ model: "glm-4.7", messages: [user("hi")] })).status).toBe(200);
  });
});

function sseData(text: string): Json[] {
  return text
    .split("\n\n")
    .filter((e) => e.startsWith("data: ") && !e.includes("[DONE]"))
    .map((e) => JSON.parse(e.slice(6)));
}

describe("scripted answer shapes", () => {
  it("content as an array of text parts, non-stream and stream", async () => {
    fake.answer({ content: "a parted answer", content_parts: true }, { times: 2 });
    const r = await chat({ model: "glm-4v-flash", messages: [user("hi")] });
    expect(r.json.choices[0].message.content).toEqual([{ type: "text", text: "a parted answer" }]);
    const s = await chat({ model: "glm-4v-flash", messages: [user("hi")], stream: true });
    const deltas = sseData(s.text).map((c) => c.choices[0].delta.content);
    expect(deltas.every((d) => Array.isArray(d))).toBe(true);
    expect(
      deltas
        .flat()
        .map((p: Json) => p.text)
        .join(""),
    ).toBe("a parted answer");
  });

  it("GLM-4.1V-Thinking style <answer> tags around the content", async () => {
    fake.answer({ content: "a cat", answer_tags: true });
    const r = await chat({ model: "glm-4.1v-thinking-flash", messages: [user("hi")] });
    expect(r.json.choices[0].message.content).toBe("<answer>a cat</answer>");
    expect(r.json.choices[0].message.reasoning_content).toBeTruthy();
  });

  const voice = (stream: boolean) =>
    chat({ model: "glm-4-voice", messages: [user("say something")], stream });
  const audioPieces = (text: string) =>
    sseData(text)
      .map((c) => c.choices[0].delta.audio?.data)
      .filter(Boolean)
      .map((d: string) => Buffer.from(d, "base64"));

  it("voice streamed as one WAV file per chunk, each with its own header", async () => {
    fake.answer({ audio_stream: { mode: "wav-per-chunk", chunks: 3, chunkMs: 1000 } });
    const pieces = audioPieces((await voice(true)).text);
    expect(pieces).toHaveLength(3);
    const infos = pieces.map((p) => parseWav(p));
    expect(infos.every((i) => i && Math.abs(i.durationSec - 1) < 0.01)).toBe(true);
    // Naively joined, the first header claims only the first second: this is the trap.
    expect(parseWav(Buffer.concat(pieces))!.durationSec).toBeCloseTo(1, 2);

    fake.answer({ audio_stream: { mode: "wav-per-chunk", chunks: 3, chunkMs: 1000 } });
    const whole = Buffer.from((await voice(false)).json.choices[0].message.audio.data, "base64");
    expect(parseWav(whole)!.durationSec).toBeCloseTo(3, 2);
  });

  it("voice streamed as one WAV whose header is split across chunks", async () => {
    fake.answer({ audio_stream: { mode: "split-header", chunks: 3, chunkMs: 1000 } });
    const pieces = audioPieces((await voice(true)).text);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces[0]!.length).toBeLessThan(44);
    expect(parseWav(pieces[0]!)).toBeUndefined();
    expect(parseWav(Buffer.concat(pieces))!.durationSec).toBeCloseTo(3, 2);
  });
});

describe("POST /files/parser/sync", () => {
  const parse = (form: FormData, base = fake.baseUrl) => send(base + "/files/parser/sync", { body: form });
  const form = (file: Blob | string | undefined, name: string, fields: Record<string, string>) => {
    const f = new FormData();
    if (file !== undefined) {
      if (typeof file === "string") f.append("file", file);
      else f.append("file", file, name);
    }
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    return f;
  };
  const blob = (b: Buffer | string) => new Blob([typeof b === "string" ? b : new Uint8Array(b)]);

  it("answers the parsed text of a PDF, from plain and compressed content streams", async () => {
    for (const compress of [false, true]) {
      const pdf = makePdf(["Quarterly report (draft)", "Revenue grew 12%"], { compress });
      const r = await parse(form(blob(pdf), "report.pdf", { tool_type: "prime-sync", file_type: "PDF" }));
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({
        status: "succeeded",
        message: expect.any(String),
        task_id: expect.any(String),
      });
      expect(r.json.content).toBe("Quarterly report (draft)\nRevenue grew 12%");
    }
  });

  it("text files come back as their text; file_type defaults from the file name", async () => {
    const r = await parse(form(blob("# Title\nbody"), "notes.md", { tool_type: "prime-sync" }));
    expect(r.status).toBe(200);
    expect(r.json.content).toBe("# Title\nbody");
  });

  it("refuses broken requests with GLM's codes", async () => {
    const pdf = blob(makePdf(["x"]));
    expectError(await parse(form(undefined, "", { tool_type: "prime-sync" })), 400, "1213", "file");
    expectError(await parse(form(pdf, "a.pdf", {})), 400, "1213", "tool_type");
    expectError(await parse(form(pdf, "a.pdf", { tool_type: "prime" })), 400, "1214", "prime-sync");
    expectError(await parse(form(pdf, "a.pdf", { tool_type: "prime-sync", file_type: "EXE" })), 400, "1214");
    expectError(await parse(form(pdf, "a.exe", { tool_type: "prime-sync" })), 400, "1214", "file_type");
    expectError(await parse(form("not a file", "", { tool_type: "prime-sync" })), 400, "1214", "file");
    expectError(
      await parse(form(blob("plain text"), "a.pdf", { tool_type: "prime-sync", file_type: "PDF" })),
      400,
      "1214",
      "PDF",
    );
    const big = blob(Buffer.alloc(10 * 1024 * 1024 + 1, 0x61));
    expectError(await parse(form(big, "big.txt", { tool_type: "prime-sync" })), 400, "1214", "10MB");
    const json = await post("/files/parser/sync", { file: "x", tool_type: "prime-sync" });
    expectError(json, 400, "1210", "multipart/form-data");
    expectError(await parse(form(pdf, "a.pdf", { tool_type: "prime-sync" }), codingBase()), 404, "1222");
  });

  it("requires the API key like every route", async () => {
    const r = await fetch(fake.baseUrl + "/files/parser/sync", {
      method: "POST",
      body: form(blob(makePdf(["x"])), "a.pdf", { tool_type: "prime-sync" }),
    });
    expect(r.status).toBe(401);
  });
});

describe("realtime: recoverable error events", () => {
  it("sends the error and still runs the turn to response.done when the fault is recoverable", async () => {
    const rt = await startFakeRealtime({ deltaDelayMs: 0 });
    try {
      for (const recoverable of [true, false]) {
        rt.script({
          fault: {
            kind: "error",
            on: "response.create",
            recoverable,
            error: { type: "server_error", code: "rate_limited", message: "slow down" },
          },
        });
        const types = await runTextTurn(rt.url, rt.apiKey);
        expect(types).toContain("error");
        if (recoverable) expect(types.indexOf("response.done")).toBeGreaterThan(types.indexOf("error"));
        else expect(types).not.toContain("response.done");
      }
    } finally {
      await rt.close();
    }
  });
});

describe("realtime: auto_search (beta_fields, asyncapi L558)", () => {
  it("searches by default when the question needs current facts, before the transcript", async () => {
    const rt = await startFakeRealtime({ deltaDelayMs: 0 });
    try {
      const types = await runTextTurn(rt.url, rt.apiKey, { text: "What's the weather in Beijing today?" });
      const at = types.indexOf("response.function_call.simple_browser");
      expect(at).toBeGreaterThan(types.indexOf("response.created"));
      expect(at).toBeLessThan(types.indexOf("response.audio_transcript.delta"));
      // Not searchable, turned off, or video mode ("仅在audio模式下生效"): no search.
      for (const turn of [
        { text: "hi" },
        { text: "latest news?", session: { beta_fields: { chat_mode: "audio", auto_search: false } } },
        { text: "latest news?", session: { beta_fields: { chat_mode: "video_passive" } } },
      ])
        expect(await runTextTurn(rt.url, rt.apiKey, turn)).not.toContain(
          "response.function_call.simple_browser",
        );
    } finally {
      await rt.close();
    }
  });

  it("refuses a non-boolean auto_search", async () => {
    const rt = await startFakeRealtime({ deltaDelayMs: 0 });
    try {
      await runTextTurn(rt.url, rt.apiKey, {
        session: { beta_fields: { chat_mode: "audio", auto_search: "yes" } },
      });
      const update = rt.connections[0]!;
      expect(update.sent).toContain("error");
      expect(update.sent).not.toContain("session.updated");
    } finally {
      await rt.close();
    }
  });
});

/** One text turn; returns the server event types seen until response.done (or 400 ms of quiet). */
async function runTextTurn(
  url: string,
  key: string,
  turn: { text?: string; session?: Record<string, unknown> } = {},
): Promise<string[]> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${key}` } });
  const types: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let quiet: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(quiet);
        quiet = setTimeout(resolve, 400);
      };
      ws.on("error", reject);
      ws.on("message", (raw) => {
        const ev = JSON.parse(String(raw));
        types.push(ev.type);
        if (ev.type === "session.created") {
          if (turn.session) ws.send(JSON.stringify({ type: "session.update", session: turn.session }));
          ws.send(
            JSON.stringify({
              type: "conversation.item.create",
              item: {
                type: "message",
                role: "user",
                content: [{ type: "input_text", text: turn.text ?? "hi" }],
              },
            }),
          );
          ws.send(JSON.stringify({ type: "response.create" }));
        }
        if (ev.type === "response.done") {
          clearTimeout(quiet);
          resolve();
        } else if (types.includes("error")) settle();
      });
    });
  } finally {
    ws.close();
  }
  return types;
}

/** A 1×1 PNG as a data URI. */
function makeTinyPngBase64(): string {
  return "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
}
