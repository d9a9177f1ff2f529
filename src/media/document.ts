// One document source -> a GLM file_url part (URLs GLM can fetch) or, for text files, the text
// itself inline (file_url takes URLs only: "不支持Base64").
import type { ContentPart } from "../glm/types.js";
import { MediaError } from "./errors.js";
import { loadOptions, type MediaPolicy } from "./policy.js";
import { classifySource, describeType, loadSourceBytes, shown, type SourceKind } from "./sources.js";
import { isPrivateUrl } from "./url-fetch.js";
import { formatBytes } from "../util/format.js";

/** Inline text cap per file (~100k tokens; GLM-4.6V's context is 128k). */
export const MAX_INLINE_TEXT_BYTES = 400 * 1024;

export interface DocumentReport {
  source: string;
  source_kind: SourceKind;
  /** file_url: GLM fetches the URL; text: the file's text was put in the prompt. */
  sent_as: "file_url" | "text";
  format?: string;
  bytes?: number;
}

export async function intakeDocument(
  input: string,
  policy: MediaPolicy,
): Promise<{ part: ContentPart; report: DocumentReport }> {
  const kind = classifySource(input);
  const url = input.trim();
  const passUrl = (): { part: ContentPart; report: DocumentReport } => ({
    part: { type: "file_url", file_url: { url } },
    report: { source: url, source_kind: "url", sent_as: "file_url" },
  });
  const privateUrl = kind === "url" && isPrivateUrl(url);
  if (kind === "url" && !privateUrl && !policy.inlineUrls) return passUrl();

  const loaded = await loadSourceBytes(input, {
    ...loadOptions(policy, "document"),
  });
  const label = loaded.kind === "path" ? `The file ${shown(url)}` : `The ${loaded.displayName}`;
  const cat = loaded.type.category;
  if (cat === "text") {
    if (loaded.bytes.length > MAX_INLINE_TEXT_BYTES) {
      throw new MediaError(
        `${label} is ${formatBytes(loaded.bytes.length)} of text, over the ${formatBytes(MAX_INLINE_TEXT_BYTES)} inline limit; pass the relevant part only, or a public URL GLM can fetch as file_url.`,
      );
    }
    const text = loaded.bytes.toString("utf8").replace(/^\uFEFF/, "");
    return {
      part: {
        type: "text",
        text: `<file name="${loaded.displayName.replace(/"/g, "'")}">\n${text}\n</file>`,
      },
      report: {
        source: loaded.displayName,
        source_kind: loaded.kind,
        sent_as: "text",
        format: "text",
        bytes: loaded.bytes.length,
      },
    };
  }
  if (cat === "document") {
    // A public URL that we only downloaded because of --inline-urls: GLM can still fetch it itself.
    if (kind === "url" && !privateUrl) return passUrl();
    const where =
      kind === "url"
        ? `it is on ${new URL(url).hostname}, which GLM's servers cannot reach`
        : "it is not at a URL";
    throw new MediaError(
      `${label} is ${loaded.type.ext.toUpperCase()} and GLM reads such documents only from URLs it can fetch (file_url takes no uploads), and ${where}: publish it at a public https URL and pass that, or extract its text (e.g. pdftotext file.pdf file.txt) and pass the .txt file.`,
    );
  }
  const hint =
    cat === "image"
      ? " (use vision_analyze for images)"
      : cat === "video"
        ? " (use video_understand for videos)"
        : "";
  throw new MediaError(
    `${label} is not a document: its bytes look like ${describeType(loaded.type)}${hint}; pass a pdf, docx, xlsx, pptx or text file URL, or a local UTF-8 text file.`,
  );
}
