// The two file formats embed_text writes (README, "File formats"): JSONL lines of
// {index, text_sha256, embedding[, truncated]} and a float32 (count, dims) .npy matrix.
import { createHash } from "node:crypto";
import { float32Text } from "../embeddings/float32.js";
import { encodeNpy } from "./npy.js";

export type EmbeddingFileFormat = "jsonl" | "npy";

export function textSha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** One Buffer per line, joined once: a 10,000 × 2048 file is ~250 MB, too big for one JS string. */
export function encodeJsonl(
  texts: readonly string[],
  vectors: readonly Float32Array[],
  truncated: ReadonlySet<number>,
): Uint8Array {
  const lines = vectors.map((vec, index) => {
    const numbers = Array.from(vec, float32Text).join(",");
    const flag = truncated.has(index) ? `,"truncated":true` : "";
    return Buffer.from(
      `{"index":${index},"text_sha256":"${textSha256(texts[index] ?? "")}"${flag},"embedding":[${numbers}]}\n`,
    );
  });
  return Buffer.concat(lines);
}

export function encodeEmbeddingFile(
  format: EmbeddingFileFormat,
  texts: readonly string[],
  vectors: readonly Float32Array[],
  dims: number,
  truncated: ReadonlySet<number>,
) {
  return format === "npy"
    ? { data: encodeNpy(vectors, dims), ext: "npy", mimeType: "application/octet-stream" }
    : { data: encodeJsonl(texts, vectors, truncated), ext: "jsonl", mimeType: "application/jsonl" };
}
