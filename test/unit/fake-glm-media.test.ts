// The fake's image-generation and speech-to-text routes are as strict as the spec: every body is
// checked against CreateImageRequest / AudioTranscriptionRequest (openapi-2026-07-11.json) plus the
// rules their descriptions state, and answers come in the spec's shapes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import {
  FAKE_API_KEY,
  checkAgainstSpec,
  makeToneWav,
  startFakeGlm,
  type FakeGlm,
} from "../fake-glm/index.js";
import { syntheticMp3 } from "../helpers/audio.js";

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => fake.reset());

type Json = any;

async function send(
  path: string,
  body: string | FormData,
  headers: Record<string, string> = {},
  base = fake.baseUrl,
) {
  const res = await fetch(base + path, {
    method: "POST",
    body,
    headers: { authorization: `Bearer ${FAKE_API_KEY}`, ...headers },
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

const draw = (body: unknown, base?: string) =>
  send("/images/generations", JSON.stringify(body), { "content-type": "application/json" }, base);

function expectError(r: { status: number; json: Json }, status: number, code: string, text?: string) {
  expect(r.status).toBe(status);
  expect(r.json).toMatchObject({ error: { code } });
  if (text) expect(r.json.error.message).toContain(text);
}

describe("POST /images/generations", () => {
  it("answers ImageGenerationResponse with a link to a PNG of the asked size, coloured by the prompt", async () => {
    const r = await draw({ model: "cogview-4", prompt: "a red fox", size: "768x1344" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      created: expect.any(Number),
      data: [{ url: expect.stringMatching(/^http/) }],
    });
    const png = Buffer.from(await (await fetch(r.json.data[0].url)).arrayBuffer());
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 768, 1344]);
    // Same prompt, same colour; another prompt, another colour.
    const again = await draw({ model: "cogview-4", prompt: "a red fox", size: "768x1344" });
    const other = await draw({ model: "cogview-4", prompt: "a blue whale", size: "768x1344" });
    const pixel = async (url: string) => [
      ...(
        await sharp(Buffer.from(await (await fetch(url)).arrayBuffer()))
          .raw()
          .toBuffer()
      ).subarray(0, 3),
    ];
    expect(await pixel(again.json.data[0].url)).toEqual(await pixel(r.json.data[0].url));
    expect(await pixel(other.json.data[0].url)).not.toEqual(await pixel(r.json.data[0].url));
  });

  it("defaults to 1280x1280 for glm-image and 1024x1024 for the others", async () => {
    for (const [model, side] of [
      ["glm-image", 1280],
      ["cogview-3-flash", 1024],
    ] as const) {
      const r = await draw({ model, prompt: "x" });
      const meta = await sharp(Buffer.from(await (await fetch(r.json.data[0].url)).arrayBuffer())).metadata();
      expect([meta.width, meta.height]).toEqual([side, side]);
    }
  });

  it.each([
    [{ prompt: "x" }, 400, "1213", "model"],
    [{ model: "cogview-4" }, 400, "1213", "prompt"],
    [{ model: "dall-e-3", prompt: "x" }, 400, "1211", "dall-e-3"],
    [{ model: "cogview-4", prompt: "x", quality: "ultra" }, 400, "1214", "quality"],
    [{ model: "glm-image", prompt: "x", quality: "standard" }, 400, "1214", "quality"],
    [{ model: "cogview-4", prompt: "x", user_id: "abc" }, 400, "1214", "user_id"],
    [{ model: "cogview-4", prompt: "x", watermark_enabled: "no" }, 400, "1214", "watermark_enabled"],
    [{ model: "cogview-4", prompt: "x", size: "1000x1000" }, 400, "1214", "16"],
    [{ model: "glm-image", prompt: "x", size: "1040x1040" }, 400, "1214", "32"],
    [{ model: "cogview-4", prompt: "x", size: "2048x2048" }, 400, "1214", "2097152"],
    [{ model: "cogview-4", prompt: "x", size: "256x256" }, 400, "1214", "512px"],
    [{ model: "cogview-4", prompt: "x", size: "big" }, 400, "1214", "size"],
    [{ model: "cogview-4", prompt: "  " }, 400, "1214", "prompt"],
  ])("refuses %j with %i / %s", async (body, status, code, text) => {
    expectError(await draw(body), status, code, text);
  });

  it("is not served on the coding-plan endpoint (1211)", async () => {
    expectError(
      await draw({ model: "cogview-4", prompt: "x" }, fake.url + "/api/coding/paas/v4"),
      400,
      "1211",
    );
  });

  it("answers 404 for an image link it never issued", async () => {
    const r = await fetch(fake.url + "/fake-images/nope.png");
    expect(r.status).toBe(404);
  });
});

describe("POST /audio/transcriptions", () => {
  const form = (fields: Record<string, string | string[]>, file?: Buffer, name = "a.wav") => {
    const f = new FormData();
    if (file) f.set("file", new Blob([new Uint8Array(file)]), name);
    for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) f.append(k, item);
    return f;
  };
  const transcribe = (f: FormData, base?: string) => send("/audio/transcriptions", f, {}, base);

  it("answers AudioTranscriptionResponse with a transcript derived from the bytes and hotwords", async () => {
    const wav = makeToneWav({ durationMs: 2000 });
    const r = await transcribe(
      form({ model: "glm-asr-2512", stream: "false", hotwords: ["Zhipu", "GLM"] }, wav),
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      model: "glm-asr-2512",
      id: expect.any(String),
      created: expect.any(Number),
    });
    expect(r.json.text).toMatch(
      /^Fake transcript of 2 s of wav audio \(sha256 [0-9a-f]{12}\)\. hotwords: Zhipu, GLM\.$/,
    );
    // What the fake recorded is the form as an object, valid against the spec.
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-asr-2512",
      stream: false,
      hotwords: ["Zhipu", "GLM"],
      file: "a.wav",
    });
    expect(() => checkAgainstSpec("transcriptions", fake.requests[0]!.body)).not.toThrow();
  });

  it("accepts file_base64 instead of file, and MP3", async () => {
    const r = await transcribe(
      form({ model: "glm-asr-2512", file_base64: syntheticMp3(3).toString("base64") }),
    );
    expect(r.status).toBe(200);
    expect(r.json.text).toContain("mp3 audio");
  });

  it("streams transcript.text.delta events then [DONE] when stream=true", async () => {
    const r = await transcribe(
      form({ model: "glm-asr-2512", stream: "true" }, makeToneWav({ durationMs: 500 })),
    );
    expect(r.contentType).toMatch(/text\/event-stream/);
    const events = r.text.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const parsed = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    expect(parsed.at(-1).type).toBe("transcript.text.done");
    expect(
      parsed
        .slice(0, -1)
        .map((e) => e.delta)
        .join(""),
    ).toMatch(/^Fake transcript of 0.5 s/);
  });

  it.each([
    ["no file at all", form({ model: "glm-asr-2512" }), 400, "1213", "file"],
    ["no model", form({}, makeToneWav()), 400, "1213", "model"],
    ["an unknown model", form({ model: "whisper-1" }, makeToneWav()), 400, "1211", "whisper-1"],
    [
      "stream not a boolean",
      form({ model: "glm-asr-2512", stream: "yes" }, makeToneWav()),
      400,
      "1214",
      "stream",
    ],
    [
      "a short request_id",
      form({ model: "glm-asr-2512", request_id: "abc" }, makeToneWav()),
      400,
      "1214",
      "request_id",
    ],
    [
      "101 hotwords",
      form(
        { model: "glm-asr-2512", hotwords: Array.from({ length: 101 }, (_, i) => `w${i}`) },
        makeToneWav(),
      ),
      400,
      "1214",
      "hotwords",
    ],
    ["text bytes", form({ model: "glm-asr-2512" }, Buffer.from("hello")), 400, "1214", "wav"],
    [
      "31 s of audio",
      form({ model: "glm-asr-2512" }, makeToneWav({ durationMs: 31_000, sampleRate: 8000 })),
      400,
      "1210",
      "30",
    ],
  ])("refuses %s", async (_what, f, status, code, text) => {
    expectError(await transcribe(f as FormData), status, code, text);
  });

  it("refuses a JSON body (it takes multipart/form-data)", async () => {
    expectError(
      await send("/audio/transcriptions", JSON.stringify({ model: "glm-asr-2512" }), {
        "content-type": "application/json",
      }),
      400,
      "1210",
      "multipart",
    );
  });

  it("is not served on the coding-plan endpoint (1211)", async () => {
    expectError(
      await transcribe(form({ model: "glm-asr-2512" }, makeToneWav()), fake.url + "/api/coding/paas/v4"),
      400,
      "1211",
    );
  });
});
