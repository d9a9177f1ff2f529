// vision_analyze over an in-memory MCP pair against the fake GLM (which validates images like the
// real API: jpg/png only, ≤ 5 MB, ≤ 6000×6000, GLM-4V-Flash rules): exact upstream bodies.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ListRootsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createAppContext } from "../../src/state/context.js";
import { createServer } from "../../src/server/index.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, testConfig, textOf, type TestSession } from "../helpers/mcp.js";
import {
  near,
  photoJpeg,
  pixelAt,
  screenshotPng,
  serveRoutes,
  sendBytes,
  solid,
  type TinyServer,
} from "../helpers/media.js";

let fake: FakeGlm;
let s: TestSession;
let dir: string;
let tiny: Buffer;
let web: TinyServer;
const env = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = mkdtempSync(path.join(os.tmpdir(), "glm-vision-"));
  mkdirSync(path.join(dir, "allowed"));
  mkdirSync(path.join(dir, "outside"));
  tiny = await solid(32, 24, "#3366cc", "png");
  writeFileSync(path.join(dir, "allowed", "tiny.png"), tiny);
  writeFileSync(path.join(dir, "outside", "tiny.png"), tiny);
  writeFileSync(path.join(dir, "allowed", "config.png"), "GLM_API_KEY=not-an-image\n");
  symlinkSync(path.join(dir, "outside", "tiny.png"), path.join(dir, "allowed", "escape.png"));
  web = await serveRoutes({
    "/tiny.png": sendBytes(tiny, "image/png"),
    "/fake.png": sendBytes(Buffer.from("<html>login</html>"), "image/png"),
  });
});
afterAll(async () => {
  await fake.close();
  await web.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  s = await connect(env());
});
afterEach(() => s.close());

const call = (
  args: Record<string, unknown>,
  extra: Parameters<TestSession["client"]["callTool"]>[2] = {},
  session = s,
) =>
  session.client.callTool(
    { name: "vision_analyze", arguments: args },
    undefined,
    extra,
  ) as Promise<CallToolResult>;
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;
const parts = (i = 0) =>
  fake.requests[i]!.body.messages[0].content as {
    type: string;
    image_url?: { url: string };
    text?: string;
  }[];
const sentImage = (i = 0, k = 0) => Buffer.from(parts(i)[k]!.image_url!.url, "base64");

describe("vision_analyze", () => {
  it("is listed with annotations, schemas and use-when guidance", async () => {
    const { tools } = await s.client.listTools();
    const tool = tools.find((t) => t.name === "vision_analyze")!;
    expect(tool.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    expect(tool.inputSchema.required ?? []).toEqual([]); // prompt may be left out when a task is given
    expect(Object.keys(tool.inputSchema.properties!)).toEqual(
      expect.arrayContaining([
        "images",
        "image",
        "model",
        "thinking",
        "include_reasoning",
        "max_tokens",
        "temperature",
        "region",
      ]),
    );
    expect(tool.outputSchema?.properties).toHaveProperty("images");
    expect(tool.description).toMatch(/Use when/);
    expect(tool.description).toMatch(/Do not use for/);
  });

  it("sends a small local png as bare base64 with the prompt, exactly", async () => {
    const r = await call({ image: path.join(dir, "allowed", "tiny.png"), prompt: "What colour is this?" });
    expect(r.isError).toBeFalsy();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-4.6v",
      messages: [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: tiny.toString("base64") } },
            { type: "text", text: "What colour is this?" },
          ],
        },
      ],
      thinking: { type: "enabled" },
      stream: true,
    });
    expect(textOf(r)).toContain("Echo: What colour is this? [1 image]");
    expect(sc(r)).toMatchObject({
      model: "glm-4.6v",
      answer: "Echo: What colour is this? [1 image]",
      finish_reason: "stop",
      images: [
        {
          source: "tiny.png",
          source_kind: "path",
          sent_as: "base64",
          original: { format: "png", width: 32, height: 24, bytes: tiny.length },
          sent: { format: "png", width: 32, height: 24 },
          scale: 1,
        },
      ],
    });
    expect(sc(r).usage.total_tokens).toBeGreaterThan(0);
  });

  it("accepts every source form: relative, ~/, file://, data: URI, base64, public URL and loopback URL", async () => {
    const home = process.env.HOME;
    process.env.HOME = path.join(dir, "allowed");
    try {
      const sources = [
        path.relative(process.cwd(), path.join(dir, "allowed", "tiny.png")),
        "~/tiny.png",
        pathToFileURL(path.join(dir, "allowed", "tiny.png")).href,
        `data:image/png;base64,${tiny.toString("base64")}`,
        tiny.toString("base64"),
        "https://example.com/cat.png",
        `${web.url}/tiny.png`,
      ];
      const r = await call({ images: sources, prompt: "same?", thinking: false });
      expect(r.isError, textOf(r)).toBeFalsy();
      const sent = parts();
      expect(sent).toHaveLength(8);
      for (const k of [0, 1, 2, 3, 4, 6])
        expect(sent[k]!.image_url!.url, `source ${k}`).toBe(tiny.toString("base64"));
      expect(sent[5]).toEqual({ type: "image_url", image_url: { url: "https://example.com/cat.png" } });
      expect(sent[7]).toEqual({ type: "text", text: "same?" });
      expect(sc(r).images.map((i: any) => [i.source_kind, i.sent_as])).toEqual([
        ["path", "base64"],
        ["path", "base64"],
        ["path", "base64"],
        ["data-uri", "base64"],
        ["base64", "base64"],
        ["url", "url"],
        ["url", "base64"],
      ]);
      expect(web.hits).toContain("/tiny.png");
      expect(fake.requests[0]!.body.thinking).toEqual({ type: "disabled" });
    } finally {
      process.env.HOME = home;
    }
  });

  it("shrinks a 6000×4000 photo and a 40 MB PNG so GLM accepts them, reporting before/after", async () => {
    const photo = path.join(dir, "allowed", "photo.jpg");
    writeFileSync(photo, await photoJpeg(6000, 4000));
    const bigPng = path.join(dir, "allowed", "big.png");
    writeFileSync(
      bigPng,
      await sharp(randomBytes(7000 * 2000 * 3), { raw: { width: 7000, height: 2000, channels: 3 } })
        .png({ compressionLevel: 0 })
        .toBuffer(),
    );
    const r = await call({ images: [photo, bigPng], prompt: "describe" });
    expect(r.isError, textOf(r)).toBeFalsy();
    for (const k of [0, 1]) {
      const img = sentImage(0, k);
      const m = await sharp(img).metadata();
      expect(["jpeg", "png"]).toContain(m.format);
      expect(img.length).toBeLessThanOrEqual(5 * 1024 * 1024);
      expect(Math.max(m.width!, m.height!)).toBeLessThanOrEqual(2560);
    }
    const [a, b] = sc(r).images;
    expect(a).toMatchObject({
      original: { format: "jpeg", width: 6000, height: 4000 },
      sent: { format: "jpeg", width: 2048, height: 1365 },
    });
    expect(b.original).toMatchObject({ format: "png", width: 7000, height: 2000 });
    expect(b.original.bytes).toBeGreaterThan(40 * 1024 * 1024);
    expect(textOf(r)).toMatch(/photo\.jpg: jpeg 6000×4000 .* → jpeg 2048×1365/);
  }, 60_000);

  it("converts webp, gif and a rotated-EXIF jpeg to upright jpg/png before sending", async () => {
    const webp = await solid(50, 40, "#00ff00", "webp");
    const gif = await solid(50, 40, "#ff00ff", "gif");
    const rotated = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#ff0000" } })
      .composite([
        {
          input: { create: { width: 20, height: 20, channels: 3, background: "#0000ff" } },
          left: 20,
          top: 0,
        },
      ])
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const r = await call({
      images: [
        webp.toString("base64"),
        `data:image/gif;base64,${gif.toString("base64")}`,
        rotated.toString("base64"),
      ],
      prompt: "x",
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const formats = await Promise.all(
      [0, 1, 2].map(async (k) => (await sharp(sentImage(0, k)).metadata()).format),
    );
    expect(formats.every((f) => f === "png" || f === "jpeg")).toBe(true);
    expect(near(await pixelAt(sentImage(0, 0), 25, 20), [0, 255, 0])).toBe(true);
    expect(near(await pixelAt(sentImage(0, 1), 25, 20), [255, 0, 255])).toBe(true);
    const upright = sentImage(0, 2);
    expect(await sharp(upright).metadata()).toMatchObject({ width: 20, height: 40 });
    expect(near(await pixelAt(upright, 10, 5), [255, 0, 0])).toBe(true);
    expect(sc(r).images.map((i: any) => i.original.format)).toEqual(["webp", "gif", "jpeg"]);
  });

  it("refuses a text file renamed .png without contacting GLM", async () => {
    const r = await call({ image: path.join(dir, "allowed", "config.png"), prompt: "x" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/config\.png is not an image: its bytes look like plain text/);
    expect(textOf(r)).not.toContain("not-an-image");
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses a loopback URL that serves something that is not an image", async () => {
    const r = await call({ image: `${web.url}/fake.png`, prompt: "x" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/is not an image: its bytes look like plain text/);
    expect(fake.requests).toHaveLength(0);
  });

  it("with --allow-dir refuses paths outside it, also through a symlink", async () => {
    const ss = await connect({ ...env(), GLM_MCP_ALLOW_DIRS: path.join(dir, "allowed") });
    try {
      expect(
        (await call({ image: path.join(dir, "allowed", "tiny.png"), prompt: "x" }, {}, ss)).isError,
      ).toBeFalsy();
      const out = await call({ image: path.join(dir, "outside", "tiny.png"), prompt: "x" }, {}, ss);
      expect(out.isError).toBe(true);
      expect(textOf(out)).toMatch(/is not allowed: local image files must be inside .*allowed.*--allow-dir/);
      const viaLink = await call({ image: path.join(dir, "allowed", "escape.png"), prompt: "x" }, {}, ss);
      expect(viaLink.isError).toBe(true);
      expect(textOf(viaLink)).toMatch(/escape\.png \(really .*outside\/tiny\.png\) is not allowed/);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await ss.close();
    }
  });

  it("over HTTP refuses local files unless allow dirs are configured", async () => {
    const ss = await connect({ ...env(), GLM_MCP_HTTP: "1" });
    try {
      const r = await call({ image: path.join(dir, "allowed", "tiny.png"), prompt: "x" }, {}, ss);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/cannot be read over HTTP unless the server allows a directory.*--allow-dir/);
      expect((await call({ image: tiny.toString("base64"), prompt: "x" }, {}, ss)).isError).toBeFalsy();
    } finally {
      await ss.close();
    }
  });

  it("over HTTP does not download from loopback/private hosts (SSRF) unless --allow-private-urls is set", async () => {
    const ss = await connect({ ...env(), GLM_MCP_HTTP: "1" });
    try {
      const hits = web.hits.length;
      const r = await call({ image: `${web.url}/tiny.png`, prompt: "x" }, {}, ss);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(
        /does not download images from local, private or reserved addresses \(127\.0\.0\.1\).*--allow-private-urls/,
      );
      expect(web.hits.length).toBe(hits);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await ss.close();
    }
    const opted = await connect({ ...env(), GLM_MCP_HTTP: "1", GLM_MCP_ALLOW_PRIVATE_URLS: "1" });
    try {
      const r = await call({ image: `${web.url}/tiny.png`, prompt: "x" }, {}, opted);
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(fake.requests.at(-1)!.body.messages[0].content[0].image_url.url).toBe(tiny.toString("base64"));
    } finally {
      await opted.close();
    }
  });

  describe("GLM-4V-Flash rules", () => {
    it("sends one public URL with no thinking field", async () => {
      const r = await call({
        image: "https://example.com/a.jpg",
        prompt: "what?",
        model: "glm-4v-flash",
        thinking: true,
      });
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(fake.requests[0]!.body).toEqual({
        model: "glm-4v-flash",
        messages: [
          {
            role: "user",
            content: [
              { type: "image_url", image_url: { url: "https://example.com/a.jpg" } },
              { type: "text", text: "what?" },
            ],
          },
        ],
        stream: true,
      });
    });
    it("refuses a local file (would be base64) and suggests the free glm-4.6v-flash", async () => {
      const r = await call({
        image: path.join(dir, "allowed", "tiny.png"),
        prompt: "x",
        model: "glm-4v-flash",
      });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/glm-4v-flash accepts only public image URLs.*use model glm-4\.6v-flash/);
      expect(fake.requests).toHaveLength(0);
    });
    it("refuses a loopback URL too (it would have to be inlined)", async () => {
      const r = await call({ image: `${web.url}/tiny.png`, prompt: "x", model: "glm-4v-flash" });
      expect(textOf(r)).toMatch(
        /127\.0\.0\.1 is a local\/private host GLM's servers cannot reach.*glm-4\.6v-flash/,
      );
    });
    it("refuses two images", async () => {
      const r = await call({
        images: ["https://example.com/a.jpg", "https://example.com/b.jpg"],
        prompt: "x",
        model: "glm-4v-flash",
      });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(
        /glm-4v-flash takes 1 image per request and 2 were given: use glm-4\.6v-flash/,
      );
      expect(fake.requests).toHaveLength(0);
    });
  });

  it("GLM-4.1V-Thinking: no thinking field (it always thinks), reasoning returned on request", async () => {
    const r = await call({
      image: tiny.toString("base64"),
      prompt: "think",
      model: "glm-4.1v-thinking-flash",
      include_reasoning: true,
      max_tokens: 2000,
      temperature: 0.1,
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const body = fake.requests[0]!.body;
    expect(body.thinking).toBeUndefined();
    expect(body).toMatchObject({ model: "glm-4.1v-thinking-flash", max_tokens: 2000, temperature: 0.1 });
    expect(sc(r).reasoning).toMatch(/Reasoning about/);
    expect(textOf(r)).toMatch(/^Reasoning:/);
  });

  it("strips GLM's box markers from the answer", async () => {
    fake.answer({ content: "The total is <|begin_of_box|>42<|end_of_box|>." });
    const r = await call({ image: tiny.toString("base64"), prompt: "sum?" });
    expect(sc(r).answer).toBe("The total is 42.");
  });

  it("sends progress notifications while preparing images and waiting for GLM", async () => {
    const seen: { progress: number; message?: string }[] = [];
    const r = await call(
      { images: [tiny.toString("base64"), tiny.toString("base64")], prompt: "compare" },
      { onprogress: (p) => seen.push(p) },
    );
    expect(r.isError).toBeFalsy();
    const messages = seen.map((p) => p.message);
    expect(messages[0]).toBe("preparing 2 images");
    expect(messages).toContain("waiting for glm-4.6v");
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
  });

  it("asks for an image when none is given, and refuses region with several images", async () => {
    const none = await call({ prompt: "x" });
    expect(none.isError).toBe(true);
    expect(textOf(none)).toMatch(/No image given: pass `image`/);
    const two = await call({
      images: [tiny.toString("base64"), tiny.toString("base64")],
      prompt: "x",
      region: { x: 0, y: 0, width: 0.5, height: 0.5 },
    });
    expect(textOf(two)).toMatch(/`region` crops a single image/);
  });

  it("maps a GLM rejection to one actionable sentence and keeps serving", async () => {
    fake.fail({ kind: "status", status: 400, code: "1210", message: "图片输入格式/解析错误" });
    const r = await call({ image: tiny.toString("base64"), prompt: "x" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/1210/);
    expect(textOf(r)).not.toContain(FAKE_API_KEY);
    expect((await call({ image: tiny.toString("base64"), prompt: "again" })).isError).toBeFalsy();
  });

  it("keeps a 4K screenshot sharp: png at 2560 px", async () => {
    const shot = await screenshotPng(3840, 2160);
    const r = await call({ image: shot.toString("base64"), prompt: "read it" });
    expect(sc(r).images[0]).toMatchObject({ sent: { format: "png", width: 2560, height: 1440 } });
    expect((await sharp(sentImage()).metadata()).format).toBe("png");
  });

  it("uses the committed fixtures: rotated jpeg upright, animated gif first frame, webp, and a renamed text file refused", async () => {
    const fx = (n: string) => path.join(__dirname, "..", "fixtures", "media", n);
    const r = await call({
      images: [fx("rotated-exif6.jpg"), fx("two-frames.gif"), fx("ui.webp")],
      prompt: "x",
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(await sharp(sentImage(0, 0)).metadata()).toMatchObject({ width: 20, height: 40 });
    expect(near(await pixelAt(sentImage(0, 0), 10, 5), [255, 0, 0])).toBe(true);
    expect(near(await pixelAt(sentImage(0, 1), 6, 6), [0, 255, 0])).toBe(true);
    expect(near(await pixelAt(sentImage(0, 2), 15, 10), [255, 204, 0])).toBe(true);
    expect(sc(r).images[1].steps).toContain("first of 2 frames");
    const bad = await call({ image: fx("readme-not-an-image.png"), prompt: "x" });
    expect(textOf(bad)).toMatch(/readme-not-an-image\.png is not an image/);
    expect(textOf(bad)).not.toContain("do-not-upload");
  });

  it("over stdio with client roots, reads images inside them and, by their bytes, outside them too", async () => {
    const config = testConfig({ ...env(), GLM_MCP_OUTPUT_DIR: dir });
    const server = createServer(createAppContext(config));
    const client = new Client(
      { name: "rooted", version: "1.0.0" },
      { capabilities: { roots: { listChanged: false } } },
    );
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: [{ uri: pathToFileURL(path.join(dir, "allowed")).href, name: "project" }],
    }));
    const [ct, st] = InMemoryTransport.createLinkedPair();
    await server.connect(st);
    await client.connect(ct);
    try {
      const inside = (await client.callTool({
        name: "vision_analyze",
        arguments: { image: path.join(dir, "allowed", "tiny.png"), prompt: "x" },
      })) as CallToolResult;
      expect(inside.isError, textOf(inside)).toBeFalsy();
      const outside = (await client.callTool({
        name: "vision_analyze",
        arguments: { image: path.join(dir, "outside", "tiny.png"), prompt: "x" },
      })) as CallToolResult;
      // Over stdio an image (by its bytes) is read wherever the user can read it (issue #13 item 4);
      // text outside the roots stays refused (test/redteam/redteam-sandbox.test.ts).
      expect(outside.isError, textOf(outside)).toBeFalsy();
    } finally {
      await client.close();
      await server.close();
    }
  });
});
