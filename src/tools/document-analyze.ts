// document_analyze: ask a GLM vision model about documents (URLs as file_url; local PDFs and office
// files through GLM's file parser; scans and page images through GLM-OCR; text files inline).
import { z } from "zod";
import type { ContentPart } from "../glm/types.js";
import { intakeDocument, MAX_INLINE_TEXT_BYTES, type DocumentReport } from "../media/document.js";
import { sourceString } from "./limits.js";
import { ToolInputError } from "../errors.js";
import { formatBytes } from "../util/format.js";
import { mapLimit } from "../util/pool.js";
import { resolveModel, visionRules } from "../glm/models.js";
import { visionRequest } from "../glm/requests.js";
import { answerResult } from "../output/answer.js";
import { saveOcrMarkdown } from "../output/ocr-markdown.js";
import { streamChat } from "./chat.js";
import { documentAnalyzeAliases } from "./aliases/document-analyze.js";
import { defineTool } from "./define-tool.js";
import { documentReaders } from "./document-readers.js";
import { answerOutput, commonVisionFields, DEFAULT_VISION_MODEL, visionModelField } from "./vision-fields.js";

export const DOCUMENT_ANALYZE = "document_analyze";
export const MAX_FILES = 50;

export const documentAnalyzeInput = {
  files: z
    .array(sourceString("each file").min(1))
    .min(1)
    .max(MAX_FILES)
    .describe(
      `1–${MAX_FILES} documents: http(s) URLs GLM can fetch (pdf, docx, xlsx, pptx, txt, jsonl), or local files as paths, ~/..., file://..., data: URIs or base64. Local pdf, docx, doc, xlsx, xls, pptx, ppt (≤ 100 MB; Excel ≤ 10 MB) are read by GLM's file parser; scanned PDFs (≤ 50 MB, 100 pages) and JPG/PNG page images (≤ 10 MB) by GLM-OCR; local text files (txt, md, json, csv, source code; ≤ ${formatBytes(MAX_INLINE_TEXT_BYTES)} each) go into the prompt as they are.`,
    ),
  mode: z
    .enum(["auto", "ocr"])
    .optional()
    .describe(
      "How PDFs and images are read. auto (default): GLM-OCR for scanned PDFs (no text layer) and JPG/PNG page images, GLM's file parser for other local PDFs and office files, URLs as file_url. ocr: every PDF and JPG/PNG image (URLs too) through GLM-OCR, for tables and formulas as Markdown.",
    ),
  ...commonVisionFields,
  model: visionModelField.describe(
    `GLM vision model. Default ${DEFAULT_VISION_MODEL}; glm-4.6v-flash is free. Document URLs need the GLM-4.6V / GLM-4.5V family.`,
  ),
};

export const documentAnalyzeOutput = {
  ...answerOutput,
  files: z.array(
    z.object({
      source: z.string(),
      source_kind: z.enum(["url", "path", "data-uri", "base64"]),
      sent_as: z.enum(["file_url", "text", "parsed", "ocr"]),
      format: z.string().optional(),
      bytes: z.number().optional(),
      truncated: z.boolean().optional(),
      pages: z.number().optional(),
      tables: z.number().optional(),
      formulas: z.number().optional(),
      markdown_file: z.string().optional().describe("OCR: the full Markdown GLM-OCR returned, saved here."),
    }),
  ),
};

const documentAnalyzeConfig = {
  title: "Analyze documents with GLM vision",
  description: [
    "Ask a GLM vision model (default GLM-4.6V) about documents: summarise or compare PDFs, Word, Excel and PowerPoint files, answer questions with charts and tables understood, extract fields.",
    'Use when: you have documents as URLs (pdf/docx/xlsx/pptx/txt/jsonl) or local files (pdf, Word, Excel, PowerPoint, text, scans) and need them read as a whole; URLs are read by the model itself (layout, tables, figures), local office files and PDFs are first turned into text by GLM\'s file parser, scanned PDFs and photos/scans of pages by GLM-OCR (mode "ocr" forces it: tables and formulas as Markdown, saved whole to a file).',
    "Do not use for: screenshots, photos or diagrams you want described (vision_analyze), videos (video_understand).",
    "Cost/latency: paid per token (documents can be many tokens; glm-4.6v-flash is free); each local PDF/office file is also sent to GLM's file parser, billed per page by the platform, and each scan or page image to GLM-OCR, billed by the platform per call (see its pricing); 10 s to minutes — progress notifications are sent while GLM works.",
  ].join("\n"),
  inputSchema: documentAnalyzeInput,
  outputSchema: documentAnalyzeOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true, destructiveHint: false },
};

export const documentAnalyzeTool = defineTool({
  name: DOCUMENT_ANALYZE,
  calls: ["vision", "ocr"],
  modelInput: "file",
  config: documentAnalyzeConfig,
  aliases: documentAnalyzeAliases,
  usageModel: (args, ctx) => args.model ?? ctx.config.defaultVisionModel,
  async run(args, call) {
    const info = resolveModel(
      args.model ?? call.ctx.config.defaultVisionModel,
      ["vision"],
      call.ctx.config.region,
    );
    const model = info.name;
    const rules = visionRules(model);
    const policy = await call.mediaPolicy();
    const count = args.files.length;
    let done = 0;
    const readers = documentReaders(call, args.mode ?? "auto");
    call.progress.now(`preparing ${count} file${count === 1 ? "" : "s"}`);
    const intakes = await mapLimit(args.files, 4, async (f) => {
      const r = await intakeDocument(f, policy, readers);
      call.progress.update(++done, `prepared file ${done}/${count}`, count);
      return r;
    });
    if (!rules.files && intakes.some((i) => i.part.type === "file_url")) {
      throw new ToolInputError(
        `${model} cannot read document URLs (file_url is GLM-4.6V / GLM-4.5V only): use glm-4.6v (default) or glm-4.6v-flash (free).`,
      );
    }
    // Files only: GLM forbids file_url together with image_url/video_url in one message.
    const parts: ContentPart[] = [...intakes.map((i) => i.part), { type: "text", text: args.prompt }];
    const { thinking, max_tokens, temperature } = args;
    const req = visionRequest({ info, parts, thinking, max_tokens, temperature });
    const answer = await streamChat(call, req.body);
    const transcripts = await saveOcrMarkdown(call.ctx.config.outputDir, intakes);
    const reports: DocumentReport[] = intakes.map((i) => i.report);
    const shaped = await answerResult(call.ctx.config.outputDir, {
      prefix: "document-analyze",
      model,
      answer,
      includeReasoning: args.include_reasoning,
      adjusted: req.notes,
      intakeLine: `Files sent: ${reports.map(describeDocument).join("; ")}`,
    });
    const content = [...shaped.content, ...transcripts];
    return { content, structuredContent: { ...shaped.structured, files: reports } };
  },
});

function describeDocument(r: DocumentReport): string {
  if (r.sent_as === "file_url") return `${r.source} (URL)`;
  const how =
    r.sent_as === "parsed"
      ? `parsed by GLM's file parser${r.truncated ? ", text cut" : ""}`
      : r.sent_as === "ocr"
        ? `read by GLM-OCR: ${r.pages ?? 1} page(s), ${r.tables ?? 0} table(s), ${r.formulas ?? 0} formula(s)${r.truncated ? ", text cut" : ""}${r.markdown_file ? `; Markdown in ${r.markdown_file}` : ""}`
        : "text";
  return `${r.source} (${how}${r.bytes !== undefined ? `, ${formatBytes(r.bytes)}` : ""})`;
}
