// Property-based fuzzing of every tool's arguments (fast-check) through an in-memory MCP session
// against the fake GLM: wrong types, junk and unknown fields, lone surrogates, deep nesting, huge
// strings, path tricks (.., symlinks, /proc, device files, FIFOs, Windows paths), data: URIs that
// lie about their type, decompression bombs, zero-byte and truncated media. Every case must end in
// a validation error or an isError result (or, for junk around a valid call, any well-formed
// result) within a per-case time bound, nothing bad may reach GLM, and the server still answers ping.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PROMPT_CHARS, MAX_SOURCE_CHARS, MAX_TOOL_INPUT_ELEMENTS } from "../../src/tools/limits.js";
import { FAKE_API_KEY, makeToneWav, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { startFakeRealtime, type FakeRealtime } from "../fake-glm/realtime.js";
import { syntheticMp3, toneWav } from "../helpers/audio.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { normalizeArguments, type FieldSchema } from "../../src/tools/aliases/normalize.js";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";
import { listedSchema } from "../../src/tools/listed-schema.js";
import { isDeepStrictEqual } from "node:util";

/** Whether the frame's alias layer turns `value` into something else (so it is not a wrong type). */
function repairs(toolName: string, field: string, value: unknown): boolean {
  const def = TOOL_DEFINITIONS.find((d) => d.name === toolName)!;
  const schema = listedSchema(def.config.inputSchema, "input");
  const shape = {
    name: toolName,
    properties: schema.properties as Record<string, FieldSchema>,
    required: [],
  };
  try {
    const out = normalizeArguments(shape, def.aliases ?? { names: {} }, { [field]: value });
    return !isDeepStrictEqual(out[field], value);
  } catch {
    return false;
  }
}

/** Per-case bound: a case that takes longer has hung (a bound, not a speed assertion). */
const CASE_BOUND_MS = 15_000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);

let fake: FakeGlm;
let rt: FakeRealtime;
let open: TestSession; // no allow dirs: local reads anywhere (stdio without roots)
let boxed: TestSession; // GLM_MCP_ALLOW_DIRS = sandbox
let work: string;
let sandbox: string;
let cases = 0;
const perGroup: Record<string, number> = {};
const unhandled: unknown[] = [];
const onUnhandled = (r: unknown) => unhandled.push(r);

// ---- media fixtures -------------------------------------------------------------------------

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A complete, valid 1-bit PNG of w×h zero pixels: tiny on disk, billions of pixels decoded. */
function bombPng(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((1 + Math.ceil(w / 8)) * h);
  const idat = deflateSync(raw, { level: 1 });
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", idat),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A GIF whose screen and frame claim 65535×65535 with one byte of LZW data. */
function bombGif(): Buffer {
  const b = Buffer.from("474946383961ffffffff0000002c00000000ffffffff0002024c01003b", "hex");
  return b;
}

const bombSvg = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="200000" height="200000"><rect width="100%" height="100%" fill="red"/></svg>',
);
const dataUri = (mime: string, b: Buffer) => `data:${mime};base64,${b.toString("base64")}`;

interface Bad {
  label: string;
  source: string;
  /** The sentence the refusal must contain, where it is specific. */
  says?: RegExp;
}
const bad: { image: Bad[]; audio: Bad[]; video: Bad[]; document: Bad[] } = {
  image: [],
  audio: [],
  video: [],
  document: [],
};
const boxedBad: Bad[] = [];
let goodPng = "";

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  fake = await startFakeGlm();
  rt = await startFakeRealtime({ deltaDelayMs: 1 });
  work = mkdtempSync(path.join(os.tmpdir(), "glm-fuzz-"));
  sandbox = path.join(work, "sandbox");
  const outside = path.join(work, "outside");
  mkdirSync(sandbox);
  mkdirSync(outside);

  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#0a0" } })
    .png()
    .toBuffer();
  const bigJpeg = await sharp({
    create: {
      width: 3000,
      height: 2000,
      channels: 3,
      background: "#a00",
      noise: { type: "gaussian", mean: 128, sigma: 30 },
    },
  })
    .jpeg()
    .toBuffer();
  const wav = toneWav({ durationMs: 300 });
  const pdf = Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
  const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypisom"), Buffer.alloc(12)]);
  goodPng = dataUri("image/png", png);

  const file = (dir: string, name: string, bytes: Buffer | string) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const fifo = path.join(sandbox, "pipe.png");
  execFileSync("mkfifo", [fifo]);
  const empty = file(sandbox, "empty.png", Buffer.alloc(0));
  const truncPng = file(sandbox, "trunc.png", png.subarray(0, Math.floor(png.length / 2)));
  const truncJpeg = file(sandbox, "trunc.jpg", bigJpeg.subarray(0, Math.floor(bigJpeg.length / 3)));
  const bomb = bombPng(50_000, 50_000);
  const bombFile = file(sandbox, "bomb.png", bomb);
  const secret = file(outside, "secret.png", png);
  symlinkSync(secret, path.join(sandbox, "link-out.png"));
  symlinkSync("/etc/passwd", path.join(sandbox, "passwd.png"));
  const headerOnlyWav = file(sandbox, "header.wav", wav.subarray(0, 44).fill(0, 40, 44));
  const id3Only = file(sandbox, "id3.mp3", syntheticMp3(1).subarray(0, 20));
  const randomBin = file(
    sandbox,
    "random.bin",
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
  );

  const common: Bad[] = [
    { label: "FIFO", source: fifo, says: /is not a regular file/ },
    { label: "/dev/zero", source: "/dev/zero", says: /is not a regular file/ },
    { label: "/dev/urandom", source: "/dev/urandom", says: /is not a regular file/ },
    { label: "/proc/self/environ", source: "/proc/self/environ", says: /is empty \(0 bytes\)/ },
    { label: "/proc/self/mem", source: "/proc/self/mem" },
    { label: "directory", source: sandbox },
    { label: "zero-byte file", source: empty, says: /is empty \(0 bytes\)/ },
    { label: "random binary", source: randomBin },
    { label: "missing file", source: path.join(sandbox, "nope.png") },
    { label: "Windows path", source: "C:\\Windows\\System32\\config\\SAM.png" },
    { label: "UNC path", source: "\\\\evil-host\\share\\x.png" },
    { label: "WSL path to /proc", source: "\\\\wsl$\\Ubuntu\\proc\\self\\environ" },
    { label: "file:// to /proc", source: "file:///proc/self/environ" },
    { label: "~ and ..", source: "~/../../../../dev/zero" },
    { label: "empty data: URI", source: "data:image/png;base64," },
    { label: "data: URI without comma", source: "data:image/png;base64" },
    { label: "bad base64", source: "data:image/png;base64,@@@@####" },
    { label: "NUL in path", source: "/tmp/a\u0000b.png", says: /contains a NUL character/ },
  ];
  bad.image = [
    ...common,
    { label: "/etc/passwd (text)", source: "/etc/passwd" },
    { label: "symlink to /etc/passwd", source: path.join(sandbox, "passwd.png") },
    { label: "truncated PNG", source: truncPng, says: /is damaged or truncated/ },
    { label: "truncated big JPEG", source: truncJpeg, says: /is damaged or truncated/ },
    { label: "PNG bomb 50000² file", source: bombFile, says: /declares more than 268 million pixels/ },
    {
      label: "PNG bomb 50000² data URI",
      source: dataUri("image/png", bomb),
      says: /declares more than 268 million pixels/,
    },
    {
      label: "GIF bomb 65535²",
      source: dataUri("image/gif", bombGif()),
      says: /declares more than 268 million pixels/,
    },
    {
      label: "SVG bomb 200000²",
      source: dataUri("image/svg+xml", bombSvg),
      says: /declares more than 268 million pixels/,
    },
    { label: "WAV claiming image/png", source: dataUri("image/png", wav) },
    { label: "PDF claiming image/jpeg", source: dataUri("image/jpeg", pdf) },
    { label: "MP4 as bare base64", source: mp4.toString("base64") },
  ];
  bad.audio = [
    ...common,
    { label: "/etc/passwd", source: "/etc/passwd" },
    { label: "header-only WAV", source: headerOnlyWav },
    { label: "ID3 tag only MP3", source: id3Only },
    { label: "PNG claiming audio/wav", source: dataUri("audio/wav", png) },
    { label: "PDF claiming audio/mpeg", source: dataUri("audio/mpeg", pdf) },
  ];
  bad.video = [
    ...common,
    { label: "/etc/passwd", source: "/etc/passwd" },
    { label: "PNG claiming video/mp4", source: dataUri("video/mp4", png) },
    { label: "WAV claiming video/mp4", source: dataUri("video/mp4", wav) },
    { label: "private URL", source: "http://127.0.0.1:1/clip.mp4" },
  ];
  bad.document = [
    ...common,
    // A PNG or JPG is a page image GLM-OCR reads (issue 22); other images are still refused.
    { label: "GIF claiming application/pdf", source: dataUri("application/pdf", bombGif()) },
    // An inline PDF is no longer refused: it goes to GLM's file parser (#12 item 9).
    { label: "WAV as document", source: dataUri("text/plain", wav) },
  ];
  // With --allow-dir: everything that resolves outside the sandbox is refused.
  boxedBad.push(
    { label: "../ escape", source: path.join(sandbox, "..", "outside", "secret.png") },
    { label: "symlink out of the sandbox", source: path.join(sandbox, "link-out.png") },
    { label: "symlink to /etc/passwd", source: path.join(sandbox, "passwd.png") },
    { label: "absolute path outside", source: secret },
    { label: "/proc/self/environ", source: "/proc/self/environ" },
    { label: "file:// outside", source: `file://${secret}` },
    { label: "relative ../../", source: `${sandbox}/../../../../etc/hostname` },
  );

  const env = {
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
    GLM_REALTIME_URL: rt.url,
    GLM_TIMEOUT_MS: "5000",
    GLM_MCP_FETCH_TIMEOUT_MS: "1000",
  };
  open = await connect(env);
  boxed = await connect({ ...env, GLM_MCP_ALLOW_DIRS: sandbox });
}, 60_000);

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  console.log(
    `Tool-argument fuzzing: ${cases} cases run (${Object.entries(perGroup)
      .map(([g, n]) => `${g}: ${n}`)
      .join(", ")})`,
  );
  await open?.close();
  await boxed?.close();
  await fake?.close();
  await rt?.close();
  rmSync(work, { recursive: true, force: true });
});

// ---- the tools and their arguments ------------------------------------------------------------

type Kind = "image" | "audio" | "video" | "document";
interface ToolSpec {
  name: string;
  valid(): Record<string, unknown>;
  /** Media fields and their kind (the bad-source pools apply to them). */
  media: Partial<Record<string, Kind>>;
  /** String fields whose cap is MAX_PROMPT_CHARS. */
  prompts: string[];
}

const TOOLS: ToolSpec[] = [
  {
    name: "glm_reason",
    valid: () => ({ prompt: "2+2?", thinking: false }),
    media: {},
    prompts: ["prompt", "system"],
  },
  {
    name: "embed_text",
    // With the rerank stage on, so every junk case also runs the second request.
    valid: () => ({ texts: ["alpha", "beta"], query: "alpha", rerank: true }),
    media: {},
    prompts: [],
  },
  {
    name: "vision_analyze",
    valid: () => ({ image: goodPng, prompt: "colour?", thinking: false }),
    media: { image: "image" },
    prompts: ["prompt"],
  },
  {
    name: "vision_locate",
    valid: () => ({ image: goodPng, targets: "the box", thinking: false }),
    media: { image: "image" },
    prompts: [],
  },
  {
    name: "video_understand",
    valid: () => ({ video: "https://example.com/v.mp4", prompt: "what happens?", thinking: false }),
    media: { video: "video" },
    prompts: ["prompt"],
  },
  {
    name: "document_analyze",
    valid: () => ({ files: ["https://example.com/a.pdf"], prompt: "summary?", thinking: false }),
    media: { files: "document" },
    prompts: ["prompt"],
  },
  {
    name: "voice_reply",
    valid: () => ({ text: "hello" }),
    media: { audio: "audio" },
    prompts: ["text", "instructions"],
  },
  {
    name: "realtime_chat",
    valid: () => ({ text: "hello" }),
    media: { audio: "audio" },
    prompts: ["text", "instructions"],
  },
  // The query is capped at 70 characters (GLM's limit) and the url is checked before anything is sent.
  { name: "web_search", valid: () => ({ query: "vitest coverage" }), media: {}, prompts: [] },
  { name: "web_read", valid: () => ({ url: "https://example.com/page" }), media: {}, prompts: [] },
  {
    name: "image_generate",
    valid: () => ({ prompt: "a red dot", model: "cogview-3-flash", size: "512x512" }),
    media: {},
    prompts: ["prompt"],
  },
  {
    name: "audio_transcribe",
    valid: () => ({ audio: GOOD_WAV }),
    media: { audio: "audio" },
    prompts: ["prompt"],
  },
];

/** A 0.3 s 16 kHz WAV as a data: URI (audio_transcribe's valid call). */
const GOOD_WAV = `data:audio/wav;base64,${makeToneWav({ durationMs: 300, sampleRate: 16000 }).toString("base64")}`;

let schemas: Map<string, { properties: Record<string, { type?: string | string[] }>; required: string[] }>;
const registered = async () => {
  if (!schemas) {
    const { tools } = await open.client.listTools();
    schemas = new Map(
      tools.map((t) => [
        t.name,
        {
          properties: (t.inputSchema.properties ?? {}) as Record<string, { type?: string | string[] }>,
          required: (t.inputSchema.required ?? []) as string[],
        },
      ]),
    );
  }
  return schemas;
};

/** Calls a tool with a time bound; a protocol-level rejection is returned, not thrown. */
async function call(
  s: TestSession,
  name: string,
  args: unknown,
): Promise<{ result?: CallToolResult; rejected?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(
        () => reject(new Error(`${name} did not finish within ${CASE_BOUND_MS} ms`)),
        CASE_BOUND_MS,
      )),
  );
  try {
    const result = (await Promise.race([
      s.client.callTool({ name, arguments: args as Record<string, unknown> }),
      bound,
    ])) as CallToolResult;
    return { result };
  } catch (e) {
    if (e instanceof Error && e.message.includes("did not finish within")) throw e;
    return { rejected: e };
  } finally {
    clearTimeout(timer);
  }
}

async function stillServes(s: TestSession): Promise<void> {
  await expect(s.client.ping()).resolves.toBeDefined();
}

function count(group: string): void {
  cases++;
  perGroup[group] = (perGroup[group] ?? 0) + 1;
}

/** Any JSON value whose JSON type differs from the schema's. */
function wrongTypeFor(types: string[]): fc.Arbitrary<unknown> {
  // Alternating arrays and objects, 1–2000 levels; the outermost level has the given JSON type.
  const deep = (outer: "array" | "object") =>
    fc.integer({ min: 1, max: 2000 }).map((d) => {
      let v: unknown = "x";
      for (let i = d; i > 0; i--) v = (i % 2 === 1) === (outer === "array") ? [v] : { k: v };
      return v;
    });
  const all: [string, fc.Arbitrary<unknown>][] = [
    ["string", fc.oneof(fc.string(), fc.string({ unit: "binary" }))],
    [
      "number",
      fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER * 8)),
    ],
    ["boolean", fc.boolean()],
    ["null", fc.constant(null)],
    ["array", fc.oneof(fc.array(fc.jsonValue(), { maxLength: 5 }), deep("array"))],
    ["object", fc.oneof(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }), deep("object"))],
  ];
  const allowed = new Set(types.flatMap((t) => (t === "integer" ? ["number"] : [t])));
  const pick = all.filter(([t]) => !allowed.has(t)).map(([, a]) => a);
  return fc.oneof(...pick);
}

function typesOf(prop: { type?: string | string[]; anyOf?: { type?: string }[] } | undefined): string[] {
  if (!prop) return [];
  if (prop.type) return Array.isArray(prop.type) ? prop.type : [prop.type];
  return (prop.anyOf ?? []).flatMap((p) => (p.type ? [p.type] : []));
}

describe("tool argument fuzzing", () => {
  it("covers every registered tool", async () => {
    const names = [...(await registered()).keys()];
    expect(names.filter((n) => !TOOLS.some((t) => t.name === n))).toEqual([]);
  });

  for (const tool of TOOLS) {
    describe(tool.name, () => {
      it("wrong JSON types for any field end in a validation error and send nothing", async () => {
        const schema = (await registered()).get(tool.name);
        if (!schema) return expect(tool.name).toBe("registered"); // a row for an unregistered tool is a mistake
        const fields = Object.keys(schema.properties).filter((f) => typesOf(schema.properties[f]).length > 0);
        const arb = fc
          .constantFrom(...fields)
          .chain((field) =>
            wrongTypeFor(typesOf(schema.properties[field])).map((value) => ({ field, value })),
          );
        await fc.assert(
          fc.asyncProperty(arb, async ({ field, value }) => {
            // Shapes the alias layer repairs (numeric strings, a string for a list, null = not given) are not wrong.
            fc.pre(!repairs(tool.name, field, value));
            count("wrong types");
            const before = fake.requests.length + rt.connections.length;
            const { result, rejected } = await call(open, tool.name, { ...tool.valid(), [field]: value });
            expect(rejected).toBeUndefined();
            expect(result?.isError, `${field}=${JSON.stringify(value)?.slice(0, 80)}`).toBe(true);
            expect(textOf(result!)).toMatch(/Input validation error|more than the maximum/);
            expect(fake.requests.length + rt.connections.length).toBe(before);
          }),
          { numRuns: RUNS },
        );
        await stillServes(open);
      });

      it("junk around a valid call (unknown fields, lone surrogates, nesting) never breaks the server", async () => {
        const schema = (await registered()).get(tool.name)!;
        const stringFields = Object.keys(schema.properties).filter(
          (f) => typesOf(schema.properties[f]).includes("string") && !tool.media[f],
        );
        const junkKey = fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((k) => !(k in schema.properties) && k !== "__proto__");
        const arb = fc.record({
          extra: fc.dictionary(
            junkKey,
            fc.oneof(fc.jsonValue({ maxDepth: 6 }), fc.string({ unit: "binary" })),
            { maxKeys: 5 },
          ),
          text: stringFields.length
            ? fc.option(
                fc.tuple(
                  fc.constantFrom(...stringFields),
                  fc.string({ unit: "binary", minLength: 1, maxLength: 200 }),
                ),
                { nil: undefined },
              )
            : fc.constant(undefined),
        });
        await fc.assert(
          fc.asyncProperty(arb, async ({ extra, text }) => {
            count("junk");
            const args: Record<string, unknown> = { ...extra, ...tool.valid() };
            if (text) args[text[0]] = text[1];
            const { result, rejected } = await call(open, tool.name, args);
            expect(rejected).toBeUndefined();
            expect(result).toBeDefined();
            if (!result!.isError) expect(result!.structuredContent).toBeDefined();
            expect(textOf(result!)).not.toContain(FAKE_API_KEY);
          }),
          { numRuns: Math.max(5, Math.round(RUNS / 2)) },
        );
        await stillServes(open);
      });

      it("over-long prompts and element floods are refused before anything is sent", async () => {
        const huge = "a".repeat(MAX_PROMPT_CHARS + 1);
        for (const field of tool.prompts) {
          count("caps");
          const before = fake.requests.length + rt.connections.length;
          const { result } = await call(open, tool.name, { ...tool.valid(), [field]: huge });
          expect(result?.isError).toBe(true);
          expect(textOf(result!)).toContain(`${field} is longer than 1,000,000 characters`);
          expect(fake.requests.length + rt.connections.length).toBe(before);
        }
        count("caps");
        const flood = await call(open, tool.name, {
          ...tool.valid(),
          junk: Array.from({ length: MAX_TOOL_INPUT_ELEMENTS + 1 }, (_, i) => i),
        });
        expect(flood.result?.isError).toBe(true);
        expect(textOf(flood.result!)).toContain(
          `more than the maximum of ${MAX_TOOL_INPUT_ELEMENTS} elements`,
        );
        count("caps");
        let deep: unknown = 1;
        for (let i = 0; i < 100_000; i++) deep = [deep];
        const nested = await call(open, tool.name, { ...tool.valid(), junk: deep });
        expect(nested.result?.isError).toBe(true);
        await stillServes(open);
      });

      for (const [field, kind] of Object.entries(tool.media)) {
        it(`bad ${kind} sources in \`${field}\` are refused locally: nothing reaches GLM`, async () => {
          const pool = bad[kind!];
          const arb = fc.record({
            src: fc.constantFrom(...pool),
            thinking: fc.option(fc.boolean(), { nil: undefined }),
          });
          const seen = new Set<string>();
          const check = async (s: TestSession, src: Bad, extraArgs: Record<string, unknown>) => {
            const before = fake.requests.length + rt.connections.length;
            const value = field === "files" ? [src.source] : src.source;
            const { result, rejected } = await call(s, tool.name, {
              ...tool.valid(),
              ...extraArgs,
              [field]: value,
            });
            expect(rejected).toBeUndefined();
            expect(result?.isError, `${src.label}: ${textOf(result ?? {})}`).toBe(true);
            const text = textOf(result!);
            expect(text.length).toBeLessThan(2_000);
            if (src.says && s === open) expect(text, src.label).toMatch(src.says);
            expect(text).not.toMatch(/PATH=|HOME=/); // nothing of /proc/self/environ
            expect(fake.requests.length + rt.connections.length, src.label).toBe(before);
            if (process.env.FUZZ_VERBOSE) console.log(`[${tool.name}] ${src.label}: ${text}`);
            return text;
          };
          await fc.assert(
            fc.asyncProperty(arb, async ({ src, thinking }) => {
              count(`bad ${kind}`);
              seen.add(src.label);
              await check(
                open,
                src,
                thinking === undefined ||
                  tool.name === "voice_reply" ||
                  tool.name === "realtime_chat" ||
                  tool.name === "audio_transcribe"
                  ? {}
                  : { thinking },
              );
            }),
            { numRuns: pool.length * 2 },
          );
          // Every source at least once, whatever the sampling did.
          for (const src of pool.filter((p) => !seen.has(p.label))) {
            count(`bad ${kind}`);
            await check(open, src, {});
          }
          for (const src of boxedBad) {
            count("sandbox escapes");
            const text = await check(boxed, src, {});
            expect(text, src.label).toMatch(/is not allowed|does not exist|not a regular file/);
          }
          await stillServes(open);
          await stillServes(boxed);
        });
      }
    });
  }

  it("a source over the inline cap is refused at validation", async () => {
    count("caps");
    const before = fake.requests.length;
    const { result } = await call(open, "vision_analyze", {
      image: "A".repeat(MAX_SOURCE_CHARS + 1),
      prompt: "x",
    });
    expect(result?.isError).toBe(true);
    expect(textOf(result!)).toContain("image is longer than");
    expect(fake.requests.length).toBe(before);
  });

  it("left no unhandled rejection behind, and the server still answers", async () => {
    await stillServes(open);
    const ok = await call(open, "glm_reason", { prompt: "still fine?", thinking: false });
    expect(ok.result?.isError).toBeFalsy();
    expect(unhandled).toEqual([]);
  });
});
