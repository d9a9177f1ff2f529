// Box parsing (every variant the fake can emit, garbage, clamping) and mapping to original pixels.
import { describe, expect, it } from "vitest";
import { countByLabel, normaliseBox, parseBoxes, toOriginalPixels } from "../../src/media/boxes.js";
import { BOX_VARIANTS, formatBoxAnswer, type FakeBox } from "../fake-glm/grounding.js";

const boxes: FakeBox[] = [
  { label: "submit button", box: [100, 200, 300, 250], confidence: 0.9 },
  { label: "submit button", box: [600, 200, 800, 250] },
  { label: "logo", box: [10, 10, 90, 60] },
];

describe("parseBoxes", () => {
  for (const variant of BOX_VARIANTS) {
    it(`parses the ${variant} variant`, () => {
      const got = parseBoxes(formatBoxAnswer(variant, boxes), "target");
      expect(got.map((b) => [b.label, b.box])).toEqual(boxes.map((b) => [b.label, [...b.box]]));
    });
  }

  it("keeps confidence from JSON (0–1 or percent) and from text", () => {
    expect(parseBoxes(formatBoxAnswer("json", boxes))[0]!.confidence).toBe(0.9);
    expect(parseBoxes(formatBoxAnswer("json-wrapped", boxes))[0]!.confidence).toBe(0.9);
    expect(parseBoxes(formatBoxAnswer("plain-lines", boxes))[0]!.confidence).toBe(0.9);
    expect(parseBoxes(formatBoxAnswer("plain-lines", boxes))[1]!.confidence).toBeUndefined();
  });

  it("labels an unlabelled GLM box with the text before it, or the fallback", () => {
    expect(
      parseBoxes("The second bottle from the right is at <|begin_of_box|>[[512,300,580,720]]<|end_of_box|>."),
    ).toEqual([{ label: "The second bottle from the right", box: [512, 300, 580, 720] }]);
    expect(parseBoxes("<|begin_of_box|>[[1,2,30,40]]<|end_of_box|>", "red car")).toEqual([
      { label: "red car", box: [1, 2, 30, 40] },
    ]);
    expect(parseBoxes("[[1,2,30,40],[50,60,70,80]]", "cat").map((b) => b.label)).toEqual(["cat", "cat"]);
  });

  it("clamps out-of-range values to the 0–1000 grid and orders corners", () => {
    expect(parseBoxes('[{"label":"a","bbox_2d":[-20, 950, 300, 1200]}]')).toEqual([
      { label: "a", box: [0, 950, 300, 1000] },
    ]);
    expect(parseBoxes("a: [400, 500, 100, 200]")).toEqual([{ label: "a", box: [100, 200, 400, 500] }]);
    expect(normaliseBox([1500, 10, 1200, 20])).toBeUndefined(); // entirely off the image: nothing left after clamping
  });

  it("returns nothing for garbage, prose, empty lists, degenerate or non-numeric boxes", () => {
    for (const text of [
      "",
      "I could not find any submit buttons in this image.",
      "[]",
      "```json\n[]\n```",
      '{"objects": []}',
      "[1, 2, three, 4]",
      "point [5, 5, 5, 9]",
      '[{"label":"x","bbox_2d":[1,2,3]}]',
      '[{"label":"x","bbox_2d":"near the top"}]',
      "{not json [[ at all",
      "NaN [NaN, 1, 2, 3]",
    ])
      expect(parseBoxes(text), text).toEqual([]);
  });

  it("takes the first JSON that has boxes even with prose and markers around it", () => {
    const text =
      'Sure. <|begin_of_box|>[{"label": "cat", "bbox_2d": [1, 2, 300, 400]}]<|end_of_box|> That is the only one.';
    expect(parseBoxes(text)).toEqual([{ label: "cat", box: [1, 2, 300, 400] }]);
  });
});

describe("toOriginalPixels", () => {
  it("maps the 0–1000 grid onto the whole image, whatever size was sent", () => {
    expect(toOriginalPixels([700, 625, 800, 725], { x: 0, y: 0, width: 6000, height: 4000 })).toEqual({
      x: 4200,
      y: 2500,
      width: 600,
      height: 400,
    });
  });
  it("adds the crop offset when GLM saw a region", () => {
    expect(toOriginalPixels([0, 0, 500, 1000], { x: 1000, y: 2000, width: 400, height: 300 })).toEqual({
      x: 1000,
      y: 2000,
      width: 200,
      height: 300,
    });
  });
  it("counts boxes per label", () => {
    expect(countByLabel(boxes)).toEqual({ "submit button": 2, logo: 1 });
  });
  it("counts labels named like Object.prototype members as plain labels", () => {
    // The model picks the labels: "constructor" once came out as "function Object() { [native code] }1".
    const labels = ["constructor", "toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"];
    const counts = countByLabel(labels.map((label) => ({ label })));
    expect(Object.entries(counts)).toEqual([
      ["constructor", 2],
      ["toString", 1],
      ["__proto__", 1],
      ["hasOwnProperty", 1],
      ["valueOf", 1],
    ]);
    expect(JSON.parse(JSON.stringify(counts))).toEqual(
      JSON.parse('{"constructor":2,"toString":1,"__proto__":1,"hasOwnProperty":1,"valueOf":1}'),
    );
  });
});
