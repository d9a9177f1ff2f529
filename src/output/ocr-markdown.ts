// GLM-OCR's Markdown, whole, as files in the output directory: the prompt may carry a cut of it and
// the answer only what was asked, while the agent can open the exact transcription (tables,
// formulas) through the resource link without it entering its context.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { OutputDirError, resourceLink, saveOutputFile } from "./files.js";

export interface OcrTranscript {
  markdown?: string;
  report: { source: string; markdown_file?: string };
}

/** Saves each transcript, notes its path in the report, and returns the resource links. */
export async function saveOcrMarkdown(
  outputDir: string,
  intakes: readonly OcrTranscript[],
): Promise<CallToolResult["content"]> {
  const links: CallToolResult["content"] = [];
  for (const i of intakes) {
    if (i.markdown === undefined) continue;
    let file;
    try {
      file = await saveOutputFile(outputDir, "document-ocr", "md", i.markdown, "text/markdown");
    } catch (err) {
      if (err instanceof OutputDirError) continue; // the answer is paid for: return it without the file
      throw err;
    }
    i.report.markdown_file = file.path;
    links.push(resourceLink(file, `GLM-OCR Markdown of ${i.report.source}`));
  }
  return links;
}
