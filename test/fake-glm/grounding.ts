// Grounding answers for the fake: the same boxes written in each shape vision models emit, so tests
// can script them with fake.answer({ content: formatBoxAnswer(variant, boxes) }). (Added by the
// vision_locate work; the core fake needs no change for this.)

export interface FakeBox {
  label: string;
  /** [x1, y1, x2, y2] on GLM's 0–1000 grid. */
  box: readonly [number, number, number, number];
  confidence?: number;
}

export const BOX_VARIANTS = [
  /** [{"label","bbox_2d":[…],"confidence"}] — what vision_locate asks for. */
  "json",
  /** The same inside a ```json fence with prose around it. */
  "json-fenced",
  /** {"objects":[{"name","box":{"x1","y1","x2","y2"},"score":87}]} */
  "json-wrapped",
  /** GLM-4.5V/4.6V native: "label: <|begin_of_box|>[[x1,y1,x2,y2]]<|end_of_box|>" per line. */
  "glm-box-tokens",
  /** All boxes of one label inside one marker pair: <|begin_of_box|>[[…],[…]]<|end_of_box|>. */
  "glm-box-group",
  /** CogVLM-style <ref>label</ref><box>[[x1,y1,x2,y2]]</box>. */
  "ref-box",
  /** Qwen-style <|object_ref_start|>label<|object_ref_end|><|box_start|>(x1,y1),(x2,y2)<|box_end|>. */
  "qwen-tokens",
  /** A markdown list: "- label: [x1, y1, x2, y2] (confidence 0.9)". */
  "plain-lines",
  /** JSON with coordinates as fractions 0–1 of the image. */
  "json-fractions",
] as const;

export type BoxVariant = (typeof BOX_VARIANTS)[number];

export function formatBoxAnswer(variant: BoxVariant, boxes: readonly FakeBox[]): string {
  const q = (b: FakeBox) => `[${b.box.join(",")}]`;
  switch (variant) {
    case "json":
      return JSON.stringify(
        boxes.map((b) => ({
          label: b.label,
          bbox_2d: b.box,
          ...(b.confidence !== undefined ? { confidence: b.confidence } : {}),
        })),
      );
    case "json-fenced":
      return `Here is what I found:\n\`\`\`json\n${JSON.stringify(
        boxes.map((b) => ({ label: b.label, bbox_2d: b.box })),
        null,
        2,
      )}\n\`\`\`\nLet me know if you need more.`;
    case "json-wrapped":
      return JSON.stringify({
        objects: boxes.map((b) => ({
          name: b.label,
          box: { x1: b.box[0], y1: b.box[1], x2: b.box[2], y2: b.box[3] },
          ...(b.confidence !== undefined ? { score: Math.round(b.confidence * 100) } : {}),
        })),
      });
    case "glm-box-tokens":
      return boxes.map((b) => `${b.label}: <|begin_of_box|>[${q(b)}]<|end_of_box|>`).join("\n");
    case "glm-box-group": {
      const byLabel = new Map<string, FakeBox[]>();
      for (const b of boxes) byLabel.set(b.label, [...(byLabel.get(b.label) ?? []), b]);
      return [...byLabel]
        .map(([label, bs]) => `${label}: <|begin_of_box|>[${bs.map(q).join(",")}]<|end_of_box|>`)
        .join("\n");
    }
    case "ref-box":
      return boxes.map((b) => `<ref>${b.label}</ref><box>[${q(b)}]</box>`).join(" ");
    case "qwen-tokens":
      return boxes
        .map(
          (b) =>
            `<|object_ref_start|>${b.label}<|object_ref_end|><|box_start|>(${b.box[0]},${b.box[1]}),(${b.box[2]},${b.box[3]})<|box_end|>`,
        )
        .join("\n");
    case "plain-lines":
      return [
        "I found these:",
        ...boxes.map(
          (b) =>
            `- ${b.label}: [${b.box.join(", ")}]${b.confidence !== undefined ? ` (confidence ${b.confidence})` : ""}`,
        ),
      ].join("\n");
    case "json-fractions":
      return JSON.stringify(boxes.map((b) => ({ label: b.label, bbox_2d: b.box.map((v) => v / 1000) })));
  }
}
