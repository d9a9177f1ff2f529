// Keeps tool results within what MCP clients accept (~25k tokens): a long text is cut for the
// result and saved whole to the output directory, with a resource_link to it.
import { OutputDirError, resourceLink, saveOutputFile, type SavedFile } from "./files.js";

/** About 20k tokens of English (or ~15k of Chinese) at the conservative 3 chars per token. */
export const MAX_RESULT_TEXT_CHARS = 60_000;

export interface FittedText {
  text: string;
  truncated: boolean;
  file?: SavedFile;
}

export async function fitText(
  outputDir: string,
  text: string,
  prefix: string,
  maxChars = MAX_RESULT_TEXT_CHARS,
): Promise<FittedText> {
  if (text.length <= maxChars) return { text, truncated: false };
  const head = text.slice(0, maxChars);
  let file: SavedFile;
  try {
    file = await saveOutputFile(outputDir, prefix, "md", text, "text/markdown");
  } catch (err) {
    // The answer is paid for: hand back what fits rather than nothing.
    if (!(err instanceof OutputDirError)) throw err;
    return {
      text: `${head}\n\n[Cut at ${maxChars} of ${text.length} characters to fit the client; the rest could not be saved: ${err.message}]`,
      truncated: true,
    };
  }
  return {
    text: `${head}\n\n[Cut at ${maxChars} of ${text.length} characters to fit the client; the full text is in ${file.path} (${file.uri}).]`,
    truncated: true,
    file,
  };
}

export function fittedLink(fitted: FittedText) {
  return fitted.file ? [resourceLink(fitted.file, "Full text of the answer")] : [];
}
