// vision_locate's result: boxes mapped back to original pixels, counts per label, the image with
// the boxes drawn on it (inline block + saved file), and the model's own answer.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { CollectedAnswer } from "../glm/collect.js";
import { annotateImage } from "../media/annotate.js";
import { countByLabel, toOriginalPixels, type ParsedBox } from "../media/boxes.js";
import type { ImageIntake } from "../media/image-intake.js";
import { cleanAnswer, finishNotes, usageSummary } from "./answer.js";
import { resourceLink, saveOutputFile } from "./files.js";
import { fitText } from "./size.js";

export interface LocateInput {
  model: string;
  targets: string;
  answer: CollectedAnswer;
  boxes: ParsedBox[];
  /** The inline intake (prepared bytes and the original, for mapping and drawing). */
  intake: ImageIntake;
  annotate: boolean;
  onDrawing?: () => void;
  /** What the request builder adjusted or noted (max_tokens lowered, a model not in the catalog). */
  adjusted?: string[];
}

export async function locateResult(outputDir: string, o: LocateInput): Promise<CallToolResult> {
  const { answer, intake, model } = o;
  const prepared = intake.prepared!;
  const objects = o.boxes.map((p) => ({
    label: p.label,
    box: toOriginalPixels(p.box, prepared.area),
    box_1000: p.box,
    ...(p.confidence !== undefined ? { confidence: p.confidence } : {}),
  }));
  const counts = countByLabel(objects);
  const text = cleanAnswer(answer.content);

  const content: CallToolResult["content"] = [];
  let annotated: Record<string, unknown> | undefined;
  let note: string | undefined;
  if (objects.length === 0) {
    note = "The model's answer contained no boxes that could be parsed; its text is returned as is.";
  } else if (o.annotate) {
    o.onDrawing?.();
    const drawn = await annotateImage(
      intake.originalBytes!,
      objects.map((o) => ({ label: o.label, rect: o.box })),
      {
        area: prepared.area,
        format: prepared.kind === "graphic" ? "png" : "jpeg",
      },
    );
    const file = await saveOutputFile(
      outputDir,
      "vision-locate",
      drawn.mime === "image/png" ? "png" : "jpg",
      drawn.data,
      drawn.mime,
    );
    annotated = {
      path: file.path,
      uri: file.uri,
      mime_type: drawn.mime,
      width: drawn.width,
      height: drawn.height,
      bytes: drawn.data.length,
    };
    content.push({ type: "image", data: drawn.data.toString("base64"), mimeType: drawn.mime });
    content.push(
      resourceLink(
        file,
        `The image with ${objects.length} located box${objects.length === 1 ? "" : "es"} drawn on it`,
      ),
    );
  }

  const lines = objects.map(
    (o) =>
      `- ${o.label}: x=${o.box.x} y=${o.box.y} width=${o.box.width} height=${o.box.height}${o.confidence !== undefined ? ` (confidence ${o.confidence})` : ""}`,
  );
  const summary =
    objects.length === 0
      ? `No boxes found for "${o.targets}". ${note}\n\nModel answer:\n${(await fitText(outputDir, text, "vision-locate-answer")).text || "(empty)"}`
      : `Found ${objects.length} box${objects.length === 1 ? "" : "es"} (${Object.entries(counts)
          .map(([l, n]) => `${l} ×${n}`)
          .join(
            ", ",
          )}) in original pixels of the ${prepared.original.width}×${prepared.original.height} image${prepared.cropped ? ` (searched region x=${prepared.area.x} y=${prepared.area.y} ${prepared.area.width}×${prepared.area.height})` : ""}:\n${lines.join("\n")}`;
  const notes = [...(o.adjusted ?? []), ...finishNotes(answer.finishReason)];
  content.unshift({ type: "text", text: [summary, ...notes].join("\n\n") });

  return {
    content,
    structuredContent: {
      model: answer.model ?? model,
      objects,
      counts,
      answer: text.length > 20_000 ? text.slice(0, 20_000) + "…" : text,
      image: intake.report,
      ...(annotated ? { annotated } : {}),
      ...(note ? { note } : {}),
      finish_reason: answer.finishReason || "stop",
      usage: usageSummary(answer.usage),
    },
  };
}
