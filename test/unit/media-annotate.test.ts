// Annotated images: they decode, stay bounded, and carry each box's colour where the box is.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  ANNOTATED_MAX_BYTES,
  ANNOTATED_MAX_EDGE,
  annotateImage,
  BOX_COLOURS,
  labelColours,
} from "../../src/media/annotate.js";
import { near, photoJpeg, pixelAt, screenshotPng } from "../helpers/media.js";

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));

describe("annotateImage", () => {
  it("draws each label in its own colour on the box edges, scaled down to the bounded edge", async () => {
    const shot = await screenshotPng(3840, 2160, 20);
    const boxes = [
      { label: "button", rect: { x: 2000, y: 1000, width: 800, height: 400 } },
      { label: "button", rect: { x: 400, y: 1600, width: 600, height: 300 } },
      { label: "logo", rect: { x: 3000, y: 200, width: 400, height: 400 } },
    ];
    const a = await annotateImage(shot, boxes, { format: "png" });
    expect(a.colours).toEqual({ button: BOX_COLOURS[0], logo: BOX_COLOURS[1] });
    const meta = await sharp(a.data).metadata();
    expect(meta).toMatchObject({
      format: "png",
      width: ANNOTATED_MAX_EDGE,
      height: Math.round(2160 * (ANNOTATED_MAX_EDGE / 3840)),
    });
    expect(a.data.length).toBeLessThanOrEqual(ANNOTATED_MAX_BYTES);
    const s = a.scale;
    // Left edge, vertical middle of each box: the stroke colour. The box interior stays untouched.
    for (const b of boxes) {
      const colour = hex(a.colours[b.label]!);
      const px = await pixelAt(
        a.data,
        Math.round(b.rect.x * s),
        Math.round((b.rect.y + b.rect.height / 2) * s),
      );
      expect(near(px, colour, 30), `${b.label} edge ${px}`).toBe(true);
      const right = await pixelAt(
        a.data,
        Math.round((b.rect.x + b.rect.width) * s),
        Math.round((b.rect.y + b.rect.height * 0.6) * s),
      );
      expect(near(right, colour, 30), `${b.label} right edge ${right}`).toBe(true);
    }
    expect(await pixelAt(a.data, Math.round(2400 * s), Math.round(1200 * s))).toEqual([255, 255, 255]);
  });

  it("draws only the given area, with boxes placed relative to it", async () => {
    const shot = await screenshotPng(2000, 1000, 5);
    const area = { x: 1000, y: 500, width: 500, height: 250 };
    const a = await annotateImage(
      shot,
      [{ label: "x", rect: { x: 1100, y: 600, width: 100, height: 100 } }],
      { area },
    );
    expect(await sharp(a.data).metadata()).toMatchObject({ width: 500, height: 250 });
    expect(a.scale).toBe(1);
    expect(near(await pixelAt(a.data, 100, 150), hex(BOX_COLOURS[0]), 30)).toBe(true);
  });

  it("keeps a large noisy photo under the byte bound as jpeg", async () => {
    const photo = await photoJpeg(4000, 3000);
    const a = await annotateImage(
      photo,
      [{ label: "thing", rect: { x: 100, y: 100, width: 500, height: 500 } }],
      { format: "jpeg", maxBytes: 300 * 1024 },
    );
    const meta = await sharp(a.data).metadata();
    expect(meta.format).toBe("jpeg");
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(ANNOTATED_MAX_EDGE);
    expect(a.data.length).toBeLessThanOrEqual(300 * 1024);
  }, 30_000);

  it("gives labels named like Object.prototype members their own colours", () => {
    const labels = ["constructor", "__proto__", "toString", "constructor", "valueOf"];
    expect(Object.entries(labelColours(labels.map((label) => ({ label }))))).toEqual([
      ["constructor", BOX_COLOURS[0]],
      ["__proto__", BOX_COLOURS[1]],
      ["toString", BOX_COLOURS[2]],
      ["valueOf", BOX_COLOURS[3]],
    ]);
  });

  it('draws a box labelled "constructor" in its colour', async () => {
    const shot = await screenshotPng(800, 600, 4);
    const rect = { x: 200, y: 150, width: 300, height: 200 };
    const a = await annotateImage(shot, [{ label: "constructor", rect }], { format: "png" });
    expect(a.colours.constructor).toBe(BOX_COLOURS[0]);
    const px = await pixelAt(
      a.data,
      Math.round(rect.x * a.scale),
      Math.round((rect.y + rect.height / 2) * a.scale),
    );
    expect(near(px, hex(BOX_COLOURS[0]), 30), `edge ${px}`).toBe(true);
  });

  it("escapes labels that look like markup", async () => {
    const shot = await screenshotPng(400, 300, 2);
    const a = await annotateImage(shot, [
      { label: '<script>"&</script>', rect: { x: 50, y: 50, width: 100, height: 100 } },
    ]);
    expect((await sharp(a.data).metadata()).format).toBe("png");
  });
});
