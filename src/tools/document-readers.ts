// The two GLM readers document_analyze hands to media intake: GLM's file parser (text layers of
// PDFs and office files) and GLM-OCR (scans and page images), each with progress and usage.
import { parseFile } from "../glm/file-parser.js";
import { layoutParsing, OCR_MODEL, OcrError } from "../glm/layout-parsing.js";
import type { DocumentMode, DocumentReaders } from "../media/document.js";
import type { ToolCall } from "./define-tool.js";

export function documentReaders(call: ToolCall, mode: DocumentMode): DocumentReaders {
  const { signal, onRetry } = call;
  const opts = { ...(signal ? { signal } : {}), onRetry };
  return {
    mode,
    // Local PDFs and office files go to GLM's file parser (a paid call).
    async parse(file) {
      call.progress.now(`GLM's file parser is reading ${file.name}`);
      return (await parseFile(call.ctx.glm, file, opts)).content;
    },
    async ocr(file) {
      call.progress.now(`GLM-OCR is reading ${file.name}`);
      const read = await layoutParsing(call.ctx.glm, file, opts);
      call.ctx.usage.record(OCR_MODEL, read.usage);
      if (!read.markdown.trim()) throw new OcrError(file.name, "it found no text on the page");
      const tables = read.elements.table ?? 0;
      const formulas = read.elements.formula ?? 0;
      const n = (k: number, what: string) => `${k} ${what}${k === 1 ? "" : "s"}`;
      const pages = read.pages === undefined ? "" : `${n(read.pages, "page")}, `;
      call.progress.now(
        `GLM-OCR read ${file.name}: ${pages}${n(tables, "table")}, ${n(formulas, "formula")}`,
      );
      return { markdown: read.markdown, pages: read.pages, tables, formulas };
    },
  };
}
