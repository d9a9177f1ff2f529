// Whether a PDF has a text layer, which decides how document_analyze reads it: GLM's file parser
// extracts a text layer, GLM-OCR reads what a scan shows. A PDF draws text only through fonts, so a
// PDF that names no /Font anywhere (in plain objects, or inside compressed object and content
// streams) has nothing for a parser to extract: a scan or pure images.
import { inflateSync } from "node:zlib";

/** Inflated bytes read at most (a scan's page images are skipped by their filter, not inflated). */
const MAX_INFLATED = 32 * 1024 * 1024;

export function pdfHasTextLayer(pdf: Buffer): boolean {
  const text = pdf.toString("latin1");
  if (/\/Font\b/.test(text)) return true;
  let budget = MAX_INFLATED;
  for (let at = text.indexOf("stream"); at >= 0 && budget > 0; at = text.indexOf("stream", at + 6)) {
    // A stream starts at "stream" + EOL right after its dictionary ("endstream" is not a start).
    if (text.startsWith("end", at - 3)) continue;
    const eol = /^stream\r?\n/.exec(text.slice(at, at + 8));
    if (!eol) continue;
    const dict = text.slice(Math.max(0, text.lastIndexOf(" obj", at)), at);
    if (!/\/FlateDecode\b/.test(dict) || /\/Subtype\s*\/Image\b/.test(dict)) continue;
    const start = at + eol[0].length;
    const end = text.indexOf("endstream", start);
    if (end < 0) break;
    try {
      const body = inflateSync(pdf.subarray(start, end), { maxOutputLength: budget }).toString("latin1");
      budget -= body.length;
      if (/\/Font\b/.test(body) || /\bBT\b[^]*?\bT[jJ]\b/.test(body)) return true;
    } catch {
      // damaged, or over the budget: not evidence either way
    }
    at = end;
  }
  return false;
}
