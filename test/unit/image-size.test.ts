// The image size rules of the catalog (CreateImageRequest.size, OAS L11252), per model family.
import { describe, expect, it } from "vitest";
import { checkImageSize } from "../../src/glm/models.js";

describe("checkImageSize", () => {
  it.each([
    ["1280x1280", "glm-image", { width: 1280, height: 1280 }],
    ["1568×1056", "glm-image", { width: 1568, height: 1056 }],
    ["1728x960", "glm-image", { width: 1728, height: 960 }], // listed by the spec, under its 1024 advice
    ["2048x2048", "glm-image", { width: 2048, height: 2048 }], // exactly 2^22 pixels
    ["1024x1024", "cogview-4", { width: 1024, height: 1024 }],
    [" 720 * 1440 ", "cogview-3-flash", { width: 720, height: 1440 }],
  ])("accepts %s for %s", (size, model, expected) => {
    expect(checkImageSize(size, model)).toEqual(expected);
  });

  it.each([
    ["1000x1000", "cogview-4", /multiples of 16/],
    ["1040x1040", "glm-image", /multiples of 32/],
    ["2048x2048", "cogview-4", /at most 2,097,152 pixels/],
    ["256x256", "cogview-4", /each side must be 512–2048 px/],
    ["2560x512", "glm-image", /each side must be 512–2048 px/],
    ["1024", "cogview-4", /is not WIDTHxHEIGHT \(e\.g\. 1024x1024\)/],
  ])("refuses %s for %s, saying why", (size, model, message) => {
    const r = checkImageSize(size, model);
    expect(typeof r).toBe("string");
    expect(r).toMatch(message);
  });
});
