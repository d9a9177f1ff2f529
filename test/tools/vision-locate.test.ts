// vision_locate against the fake GLM answering with boxes in every variant the parser handles;
// coordinates are checked against pixels drawn at known places, through the intake's resize/crop.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { prepareImage } from "../../src/media/image.js";
import { BOX_COLOURS } from "../../src/media/annotate.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { BOX_VARIANTS, formatBoxAnswer, type FakeBox } from "../fake-glm/grounding.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { near, pixelAt, screenshotPng } from "../helpers/media.js";

let fake: FakeGlm;
let s: TestSession;
let dir: string;
/** 6000×4000 white with a red 600×400 patch at (4200, 2500) and a blue 300×300 patch at (600, 900). */
let big: Buffer;
let bigPath: string;
const RED = { x: 4200, y: 2500, width: 600, height: 400 };
const BLUE = { x: 600, y: 900, width: 300, height: 300 };

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = mkdtempSync(path.join(os.tmpdir(), "glm-locate-"));
  big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: "#ffffff" } })
    .composite([
      {
        input: { create: { width: RED.width, height: RED.height, channels: 3, background: "#ff0000" } },
        left: RED.x,
        top: RED.y,
      },
      {
        input: { create: { width: BLUE.width, height: BLUE.height, channels: 3, background: "#0000ff" } },
        left: BLUE.x,
        top: BLUE.y,
      },
    ])
    .png()
    .toBuffer();
  bigPath = path.join(dir, "big.png");
  writeFileSync(bigPath, big);
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
});
afterEach(() => s.close());

const call = (args: Record<string, unknown>) =>
  s.client.callTool({ name: "vision_locate", arguments: args }) as Promise<CallToolResult>;
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;
const sentImage = () => Buffer.from(fake.requests[0]!.body.messages[0].content[0].image_url.url, "base64");

/** The 0–1000 box of the pixels of one colour in an image, as a model that saw it would answer. */
async function colourBox(
  image: Buffer,
  rgb: [number, number, number],
): Promise<[number, number, number, number]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let [x1, y1, x2, y2] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const o = (y * info.width + x) * info.channels;
      if (near([data[o]!, data[o + 1]!, data[o + 2]!], rgb, 60)) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      }
    }
  }
  return [
    Math.round((x1 / info.width) * 1000),
    Math.round((y1 / info.height) * 1000),
    Math.round((x2 / info.width) * 1000),
    Math.round((y2 / info.height) * 1000),
  ];
}

function expectNear(
  got: { x: number; y: number; width: number; height: number },
  want: typeof RED,
  tol: number,
) {
  expect(Math.abs(got.x - want.x), `x ${got.x} vs ${want.x}`).toBeLessThanOrEqual(tol);
  expect(Math.abs(got.y - want.y), `y ${got.y} vs ${want.y}`).toBeLessThanOrEqual(tol);
  expect(Math.abs(got.width - want.width), `w ${got.width} vs ${want.width}`).toBeLessThanOrEqual(tol);
  expect(Math.abs(got.height - want.height), `h ${got.height} vs ${want.height}`).toBeLessThanOrEqual(tol);
}

describe("vision_locate", () => {
  it("maps boxes the model read off the SENT (downscaled) image back to original pixels", async () => {
    // What the intake will send is deterministic: read the patches' boxes off exactly those pixels.
    const expected = await prepareImage(big);
    expect(expected.sent.width).toBeLessThan(6000);
    const red = await colourBox(expected.data, [255, 0, 0]);
    const blue = await colourBox(expected.data, [0, 0, 255]);
    fake.answer({
      content: formatBoxAnswer("glm-box-tokens", [
        { label: "red patch", box: red },
        { label: "blue patch", box: blue },
      ]),
    });

    const r = await call({ image: bigPath, targets: "coloured patches", thinking: false });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(sentImage().equals(expected.data)).toBe(true);
    const objs = sc(r).objects;
    expect(objs.map((o: any) => o.label)).toEqual(["red patch", "blue patch"]);
    // 1 sent pixel ≈ 2.4 original pixels and the grid step is 6 px: allow 12 px.
    expectNear(objs[0].box, RED, 12);
    expectNear(objs[1].box, BLUE, 12);
    expect(objs[0].box_1000).toEqual(red);
    expect(sc(r).counts).toEqual({ "red patch": 1, "blue patch": 1 });
    expect(sc(r).image).toMatchObject({
      original: { width: 6000, height: 4000 },
      sent: { width: expected.sent.width, height: expected.sent.height },
    });
  }, 60_000);

  it("sends the image and GLM's native box instruction, exactly", async () => {
    fake.answer({ content: "[]" });
    const shot = await screenshotPng(800, 600, 5);
    await call({ image: shot.toString("base64"), targets: "every submit button" });
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-4.6v",
      messages: [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: shot.toString("base64") } },
            {
              type: "text",
              text:
                "Locate every instance of the following in the image: every submit button\n" +
                'Answer with only a JSON array, one object per instance: [{"label": "<short name>", "bbox_2d": [x1, y1, x2, y2], "confidence": <0-1>}]\n' +
                "where (x1, y1) is the top-left and (x2, y2) the bottom-right corner, as integers on a 0-1000 scale relative to the image width and height.\n" +
                "If nothing matches, answer [].",
            },
          ],
        },
      ],
      thinking: { type: "enabled" },
      stream: true,
    });
  });

  for (const variant of BOX_VARIANTS) {
    it(`understands the fake's ${variant} answer`, async () => {
      const boxes: FakeBox[] = [
        { label: "button", box: [100, 100, 300, 200], confidence: 0.8 },
        { label: "button", box: [500, 100, 700, 200] },
        { label: "icon", box: [800, 800, 900, 900] },
      ];
      fake.answer({ content: formatBoxAnswer(variant, boxes) });
      const r = await call({
        image: (await screenshotPng(1000, 500, 3)).toString("base64"),
        targets: "buttons and icons",
        annotate: false,
      });
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(sc(r).objects.map((o: any) => [o.label, o.box])).toEqual([
        ["button", { x: 100, y: 50, width: 200, height: 50 }],
        ["button", { x: 500, y: 50, width: 200, height: 50 }],
        ["icon", { x: 800, y: 400, width: 100, height: 50 }],
      ]);
      expect(sc(r).counts).toEqual({ button: 2, icon: 1 });
      expect(r.content!.some((c) => c.type === "image")).toBe(false);
    });
  }

  it('returns a valid result when the model labels boxes "constructor" or "toString" (Object.prototype names)', async () => {
    fake.answer({
      content: formatBoxAnswer("json", [
        { label: "constructor", box: [100, 100, 300, 200] },
        { label: "constructor", box: [500, 100, 700, 200] },
        { label: "toString", box: [800, 800, 900, 900] },
      ]),
    });
    const r = await call({
      image: (await screenshotPng(1000, 500, 3)).toString("base64"),
      targets: "constructor",
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(sc(r).counts).toEqual({ constructor: 2, toString: 1 });
    expect(sc(r).objects.map((o: any) => o.label)).toEqual(["constructor", "constructor", "toString"]);
    expect(textOf(r)).toContain("constructor ×2, toString ×1");
    expect(r.content!.some((c) => c.type === "image")).toBe(true);
  });

  it("returns an annotated image block (bounded, decodable, boxes in their colours) and saves it", async () => {
    const expected = await prepareImage(big);
    fake.answer({
      content: formatBoxAnswer("json", [
        { label: "red patch", box: await colourBox(expected.data, [255, 0, 0]) },
        { label: "blue patch", box: await colourBox(expected.data, [0, 0, 255]) },
      ]),
    });
    const r = await call({ image: bigPath, targets: "patches" });
    expect(r.isError, textOf(r)).toBeFalsy();
    const img = r.content!.find((c) => c.type === "image") as { data: string; mimeType: string };
    const bytes = Buffer.from(img.data, "base64");
    const meta = await sharp(bytes).metadata();
    expect(img.mimeType).toBe("image/png"); // flat colours: kept as png
    expect(meta.format).toBe("png");
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1568);
    expect(bytes.length).toBeLessThanOrEqual(1024 * 1024);
    const scale = meta.width! / 6000;
    // The blue patch's box is drawn in the second colour around it: its left edge, mid-height, and the patch inside stays blue.
    const edge = await pixelAt(
      bytes,
      Math.round(BLUE.x * scale),
      Math.round((BLUE.y + BLUE.height / 2) * scale),
    );
    expect(near(edge, [0, 200, 0], 40), `edge ${edge}`).toBe(true);
    expect(BOX_COLOURS[1]).toBe("#00c800");
    expect(
      near(
        await pixelAt(bytes, Math.round((BLUE.x + 150) * scale), Math.round((BLUE.y + 150) * scale)),
        [0, 0, 255],
        10,
      ),
    ).toBe(true);
    const redEdge = await pixelAt(
      bytes,
      Math.round((RED.x + RED.width) * scale),
      Math.round((RED.y + RED.height / 2) * scale),
    );
    expect(near(redEdge, [255, 0, 0], 40)).toBe(true);

    const link = r.content!.find((c) => c.type === "resource_link") as { uri: string; mimeType: string };
    expect(link.uri).toMatch(/^glm:\/\/output\/vision-locate-.*\.png$/);
    const saved = sc(r).annotated;
    expect(saved).toMatchObject({
      mime_type: "image/png",
      width: meta.width,
      height: meta.height,
      bytes: bytes.length,
    });
    expect(existsSync(saved.path)).toBe(true);
    expect(readFileSync(saved.path).equals(bytes)).toBe(true);
  }, 60_000);

  it("an answer without parseable boxes is not an error: empty list, the model's text, and a note", async () => {
    fake.answer({ content: "I don't see any submit button in this picture." });
    const r = await call({
      image: (await screenshotPng(400, 300, 3)).toString("base64"),
      targets: "submit button",
    });
    expect(r.isError).toBeFalsy();
    expect(sc(r)).toMatchObject({
      objects: [],
      counts: {},
      answer: "I don't see any submit button in this picture.",
    });
    expect(sc(r).note).toMatch(/no boxes that could be parsed/);
    expect(sc(r).annotated).toBeUndefined();
    expect(textOf(r)).toMatch(/No boxes found for "submit button"[\s\S]*I don't see any submit button/);
    expect(r.content!.some((c) => c.type === "image")).toBe(false);
  });

  it("searches a region at full resolution and returns boxes in whole-image pixels", async () => {
    const region = { x: 4000, y: 2300, width: 1000, height: 800 };
    const expected = await prepareImage(big, { region });
    expect(expected.sent).toMatchObject({ width: 1000, height: 800 }); // no resize: full resolution
    fake.answer({
      content: formatBoxAnswer("json", [
        { label: "red patch", box: await colourBox(expected.data, [255, 0, 0]) },
      ]),
    });
    const r = await call({ image: bigPath, targets: "red patch", region });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(sentImage().equals(expected.data)).toBe(true);
    expectNear(sc(r).objects[0].box, RED, 2);
    expect(sc(r).image.crop).toEqual(region);
    expect(textOf(r)).toMatch(/searched region x=4000 y=2300 1000×800/);
  }, 60_000);

  it("refuses glm-4v-flash (it takes URLs only) with the free alternative", async () => {
    const r = await call({ image: bigPath, targets: "x", model: "glm-4v-flash" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/glm-4v-flash accepts only image URLs.*glm-4\.6v-flash/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("vision_analyze region zoom", () => {
  it("crops the region from the full-resolution original and sends exactly those pixels", async () => {
    const r = (await s.client.callTool({
      name: "vision_analyze",
      arguments: { image: bigPath, prompt: "read it", region: { x: 0.7, y: 0.625, width: 0.1, height: 0.1 } },
    })) as CallToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
    const sent = sentImage();
    expect(await sharp(sent).metadata()).toMatchObject({ width: 600, height: 400 });
    expect(await pixelAt(sent, 0, 0)).toEqual([255, 0, 0]);
    expect(await pixelAt(sent, 599, 399)).toEqual([255, 0, 0]);
    const report = sc(r).images[0];
    expect(report.crop).toEqual(RED);
    expect(report.scale).toBe(1);
    expect(report.steps).toContain("cropped x=4200 y=2500 600×400");
    expect(textOf(r)).toMatch(/cropped to x=4200 y=2500 600×400/);
  });

  it("accepts a box returned by vision_locate as the region (pixels)", async () => {
    const r = (await s.client.callTool({
      name: "vision_analyze",
      arguments: { image: bigPath, prompt: "zoom", region: { ...BLUE, unit: "px" } },
    })) as CallToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(await sharp(sentImage()).metadata()).toMatchObject({ width: 300, height: 300 });
    expect(await pixelAt(sentImage(), 150, 150)).toEqual([0, 0, 255]);
  });
});
