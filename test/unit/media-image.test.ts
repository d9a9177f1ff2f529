// Image intake with real bytes: shrinking to GLM's limits, conversions, EXIF orientation, crops.
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeBmp } from "../../src/media/bmp.js";
import {
  fitInside,
  GLM_MAX_IMAGE_BYTES,
  GLM_MAX_IMAGE_SIDE,
  prepareImage,
  resolveRegion,
} from "../../src/media/image.js";
import { bmp24, near, photoJpeg, pixelAt, screenshotPng, solid } from "../helpers/media.js";

async function decoded(b: Buffer) {
  const m = await sharp(b).metadata();
  return { format: m.format, width: m.width, height: m.height };
}

describe("prepareImage: limits", () => {
  it("shrinks a 6000×4000 photo to the default 2048 px long edge as jpeg", async () => {
    const photo = await photoJpeg(6000, 4000);
    const p = await prepareImage(photo);
    expect(p.original).toMatchObject({ format: "jpeg", width: 6000, height: 4000, bytes: photo.length });
    expect(p.sent).toMatchObject({ format: "jpeg", width: 2048, height: 1365 });
    expect(await decoded(p.data)).toEqual({ format: "jpeg", width: 2048, height: 1365 });
    expect(p.data.length).toBe(p.sent.bytes);
    expect(p.data.length).toBeLessThan(GLM_MAX_IMAGE_BYTES);
    expect(p.kind).toBe("photo");
    expect(p.scale).toBeCloseTo(2048 / 6000, 3);
  }, 30_000);

  it("brings a 40 MB, 7000 px wide PNG under 5 MB and 6000×6000", async () => {
    const [w, h] = [7000, 2000];
    const big = await sharp(randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(40 * 1024 * 1024);
    const p = await prepareImage(big);
    const d = await decoded(p.data);
    expect(["jpeg", "png"]).toContain(d.format);
    expect(Math.max(d.width!, d.height!)).toBeLessThanOrEqual(GLM_MAX_IMAGE_SIDE);
    expect(p.data.length).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(p.original).toMatchObject({ format: "png", width: 7000, height: 2000 });
  }, 60_000);

  it("respects a tighter byte budget by lowering quality and then pixels", async () => {
    const photo = await photoJpeg(3000, 2000);
    const p = await prepareImage(photo, { budget: { maxEdge: 3000, maxBytes: 300 * 1024 } });
    expect(p.data.length).toBeLessThanOrEqual(300 * 1024);
    expect(p.steps.join(" ")).toMatch(/jpeg q/);
  }, 30_000);

  it("never upscales and never exceeds 6000 px even with a huge edge budget", () => {
    expect(fitInside(800, 600, 2048)).toEqual({ width: 800, height: 600 });
    expect(fitInside(9000, 3000, 6000)).toEqual({ width: 6000, height: 2000 });
  });
});

describe("prepareImage: formats", () => {
  it("keeps a 4K screenshot lossless png at the larger screenshot edge (2560)", async () => {
    const shot = await screenshotPng(3840, 2160);
    const p = await prepareImage(shot);
    expect(p.kind).toBe("graphic");
    expect(p.sent).toMatchObject({ format: "png", width: 2560, height: 1440 });
    expect(await pixelAt(p.data, 5, 5)).toEqual([255, 255, 255]);
  });

  it("sends a small upright jpeg or png as-is (no re-encoding)", async () => {
    const jpg = await photoJpeg(640, 480);
    const p = await prepareImage(jpg);
    expect(p.data).toBe(jpg);
    expect(p.steps).toEqual(["sent as-is"]);
    const png = await screenshotPng(800, 600, 10);
    expect((await prepareImage(png)).data).toBe(png);
  });

  it("re-encodes a small jpeg that carries EXIF (so camera/GPS metadata is not uploaded)", async () => {
    const withExif = await sharp(await photoJpeg(64, 48))
      .withExif({ IFD0: { Make: "TestCam", Copyright: "me" } })
      .jpeg()
      .toBuffer();
    expect((await sharp(withExif).metadata()).exif).toBeDefined();
    const p = await prepareImage(withExif);
    expect(p.data).not.toBe(withExif);
    expect((await sharp(p.data).metadata()).exif).toBeUndefined();
  });

  it("converts webp, avif, tiff, svg and bmp to png/jpeg with the right pixels", async () => {
    for (const fmt of ["webp", "avif", "tiff"] as const) {
      const p = await prepareImage(await solid(40, 30, "#ff0000", fmt));
      expect(["png", "jpeg"], fmt).toContain(p.sent.format);
      expect(p.original.format).toBe(fmt);
      expect(p.steps.join(" ")).toMatch(new RegExp(`converted ${fmt}→`));
      expect(near(await pixelAt(p.data, 20, 15), [255, 0, 0]), fmt).toBe(true);
    }
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="20"><rect width="25" height="20" fill="#00ff00"/><rect x="25" width="25" height="20" fill="#0000ff"/></svg>',
    );
    const ps = await prepareImage(svg);
    expect(ps.original).toMatchObject({ format: "svg", width: 50, height: 20 });
    expect(ps.sent.format).toBe("png");
    expect(near(await pixelAt(ps.data, 5, 10), [0, 255, 0])).toBe(true);
    expect(near(await pixelAt(ps.data, 45, 10), [0, 0, 255])).toBe(true);

    const bmp = bmp24(30, 20, (x) => (x < 15 ? [255, 255, 0] : [0, 128, 255]));
    const pb = await prepareImage(bmp);
    expect(pb.original).toMatchObject({ format: "bmp", width: 30, height: 20 });
    expect(near(await pixelAt(pb.data, 2, 2), [255, 255, 0], 8)).toBe(true);
    expect(near(await pixelAt(pb.data, 28, 18), [0, 128, 255], 8)).toBe(true);
  });

  it("takes the first frame of an animated gif", async () => {
    const red = await solid(10, 10, "#ff0000", "png");
    const blue = await solid(10, 10, "#0000ff", "png");
    const gif = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const p = await prepareImage(gif);
    expect(p.sent).toMatchObject({ width: 10, height: 10 });
    expect(p.steps).toContain("first of 2 frames");
    expect(near(await pixelAt(p.data, 5, 5), [255, 0, 0])).toBe(true);
  });

  it("auto-orients a jpeg by its EXIF orientation (6 = rotate 90° clockwise)", async () => {
    // Stored 40×20: left half red, right half blue. Displayed upright it is 20×40: red on top.
    const stored = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#ff0000" } })
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
    const p = await prepareImage(stored);
    expect(p.original).toMatchObject({ width: 20, height: 40 });
    expect(p.sent).toMatchObject({ width: 20, height: 40 });
    expect(p.steps[0]).toMatch(/auto-oriented \(EXIF orientation 6\)/);
    expect(near(await pixelAt(p.data, 10, 5), [255, 0, 0])).toBe(true);
    expect(near(await pixelAt(p.data, 10, 35), [0, 0, 255])).toBe(true);
  });

  it("refuses bytes that do not decode, saying which formats work", async () => {
    await expect(prepareImage(Buffer.from("definitely not an image"))).rejects.toThrow(
      /could not be decoded.*jpg, png, webp/,
    );
  });
});

describe("regions", () => {
  it("resolves fractions and pixels, clamps to the image, refuses empty areas", () => {
    expect(resolveRegion({ x: 0.5, y: 0, width: 0.5, height: 0.5 }, 1000, 800)).toEqual({
      x: 500,
      y: 0,
      width: 500,
      height: 400,
    });
    expect(resolveRegion({ x: 100, y: 50, width: 200, height: 100 }, 1000, 800)).toEqual({
      x: 100,
      y: 50,
      width: 200,
      height: 100,
    });
    expect(resolveRegion({ x: 900, y: 700, width: 500, height: 500 }, 1000, 800)).toEqual({
      x: 900,
      y: 700,
      width: 100,
      height: 100,
    });
    expect(resolveRegion({ x: 0, y: 0, width: 1, height: 1, unit: "px" }, 10, 10)).toEqual({
      x: 0,
      y: 0,
      width: 1,
      height: 1,
    });
    expect(() => resolveRegion({ x: 2000, y: 0, width: 10, height: 10 }, 1000, 800)).toThrow(
      /lies outside the 1000×800 image/,
    );
  });

  it("crops at full resolution before resizing: the sent pixels are exactly the region", async () => {
    // 6000×4000 white, with a 300×200 red patch at (4500, 3000). Crop just that area.
    const big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: "#ffffff" } })
      .composite([
        {
          input: { create: { width: 300, height: 200, channels: 3, background: "#ff0000" } },
          left: 4500,
          top: 3000,
        },
      ])
      .png()
      .toBuffer();
    const p = await prepareImage(big, { region: { x: 4400, y: 2900, width: 500, height: 400 } });
    expect(p.cropped).toBe(true);
    expect(p.area).toEqual({ x: 4400, y: 2900, width: 500, height: 400 });
    expect(p.sent).toMatchObject({ width: 500, height: 400 });
    expect(p.scale).toBe(1);
    expect(await pixelAt(p.data, 50, 50)).toEqual([255, 255, 255]);
    expect(await pixelAt(p.data, 150, 150)).toEqual([255, 0, 0]);
    expect(await pixelAt(p.data, 399, 299)).toEqual([255, 0, 0]);
    expect(await pixelAt(p.data, 450, 350)).toEqual([255, 255, 255]);
  });

  it("crops in displayed (EXIF-oriented) coordinates", async () => {
    const stored = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#ff0000" } })
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
    const bottom = await prepareImage(stored, { region: { x: 0, y: 0.5, width: 1, height: 0.5 } });
    expect(bottom.area).toEqual({ x: 0, y: 20, width: 20, height: 20 });
    expect(near(await pixelAt(bottom.data, 10, 10), [0, 0, 255])).toBe(true);
  });
});

describe("decodeBmp", () => {
  it("decodes 24-bit bottom-up rows with padding", () => {
    const raw = decodeBmp(bmp24(3, 2, (x, y) => [x * 10, y * 100, 7]));
    expect(raw).toMatchObject({ width: 3, height: 2 });
    expect([...raw.data.subarray(0, 4)]).toEqual([0, 0, 7, 255]);
    expect([...raw.data.subarray((1 * 3 + 2) * 4, (1 * 3 + 2) * 4 + 4)]).toEqual([20, 100, 7, 255]);
  });
  it("refuses compressed or truncated bitmaps with a way out", () => {
    const b = bmp24(4, 4, () => [0, 0, 0]);
    b.writeUInt32LE(1, 30); // BI_RLE8
    expect(() => decodeBmp(b)).toThrow(/compressed pixels.*convert it to png or jpg/);
    expect(() => decodeBmp(bmp24(4, 4, () => [0, 0, 0]).subarray(0, 60))).toThrow(/truncated/);
  });
});

describe("prepareImage: damaged files", () => {
  it("does not send a small cut-off JPEG as-is: it is decoded and refused", async () => {
    const whole = await photoJpeg(320, 240);
    expect((await prepareImage(whole)).steps).toEqual(["sent as-is"]);
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    // (image-intake.ts frames this error as "damaged or truncated" for the agent.)
    await expect(prepareImage(cut)).rejects.toThrow(/premature end|truncated/i);
  });
});
