// The intake's cache of prepared images (src/media/image-cache.ts): the same bytes give the same
// part and report without being prepared again; other options are other entries; the cache stays bounded.
import { describe, expect, it } from "vitest";
import { ImageCache, preparedImages } from "../../src/media/image-cache.js";
import { DEFAULT_IMAGE_BUDGET } from "../../src/media/image.js";
import { intakeImage } from "../../src/media/image-intake.js";
import type { MediaPolicy } from "../../src/media/policy.js";
import { photoJpeg, screenshotPng } from "../helpers/media.js";

const policy: MediaPolicy = {
  allowDirs: [],
  mediaAnywhere: false,
  allowSecretFiles: false,
  localReadsAllowed: false,
  inlineUrls: false,
  inputMaxBytes: 64 * 1024 * 1024,
  videoMaxBytes: 64 * 1024 * 1024,
  imageBudget: DEFAULT_IMAGE_BUDGET,
  fetchTimeoutMs: 5_000,
  privateUrlDownloads: false,
  proxy: {},
};
const dataUri = (b: Buffer, mime: string) => `data:${mime};base64,${b.toString("base64")}`;

describe("prepared image cache", () => {
  it("a repeated image gives the same part and report, prepared once", async () => {
    const shot = dataUri(await screenshotPng(3000, 1800), "image/png"); // shrunk: real work each time
    const first = await intakeImage(shot, policy);
    const hits = preparedImages.hits;
    const second = await intakeImage(shot, policy);
    expect(preparedImages.hits).toBe(hits + 1);
    expect(second.part).toEqual(first.part);
    expect(second.report).toEqual(first.report);
    expect(second.report.sent).toMatchObject({ format: "png", width: 2560, height: 1536 });
    // What one caller does to its copy never reaches the next one.
    first.report.steps.push("changed by the caller");
    expect((await intakeImage(shot, policy)).report.steps).toEqual(second.report.steps);
  });

  it("a region or another budget is another entry", async () => {
    const photo = dataUri(await photoJpeg(1200, 800), "image/jpeg");
    const whole = await intakeImage(photo, policy);
    const hits = preparedImages.hits;
    const region = await intakeImage(photo, policy, { region: { x: 0, y: 0, width: 0.5, height: 0.5 } });
    const smaller = await intakeImage(photo, {
      ...policy,
      imageBudget: { ...DEFAULT_IMAGE_BUDGET, maxEdge: 300 },
    });
    expect(preparedImages.hits).toBe(hits);
    expect(region.report.sent).toMatchObject({ width: 600, height: 400 });
    expect(smaller.report.sent).toMatchObject({ width: 300, height: 200 });
    expect(whole.report.sent).toMatchObject({ width: 1200, height: 800 });
  });

  it("keeps at most its entries and bytes, dropping the least recently used", () => {
    const cache = new ImageCache(2, 4000);
    const image = (n: number) => ({
      prepared: {
        data: Buffer.alloc(n),
        mime: "image/png" as const,
        original: { format: "png", width: 1, height: 1, bytes: n },
        sent: { format: "png", width: 1, height: 1, bytes: n },
        area: { x: 0, y: 0, width: 1, height: 1 },
        scale: 1,
        cropped: false,
        steps: [],
        kind: "graphic" as const,
      },
      base64: "",
    });
    cache.set("a", image(100));
    cache.set("b", image(100));
    expect(cache.get("a")).toBeDefined(); // a is now the most recent
    cache.set("c", image(100));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.size).toBe(2);
    const byBytes = new ImageCache(10, 1000);
    for (const k of ["a", "b", "c", "d"]) byBytes.set(k, image(240));
    byBytes.set("e", image(240)); // 5 × 240 > 1000: the oldest goes
    expect(byBytes.size).toBe(4);
    expect(byBytes.get("a")).toBeUndefined();
    byBytes.set("huge", image(300)); // over a quarter of the bytes: never kept
    expect(byBytes.get("huge")).toBeUndefined();
    expect(byBytes.get("e")).toBeDefined();
  });
});
