// document_analyze: ask a GLM vision model about documents (pdf, docx, xlsx, pptx by URL; text files inline).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AppContext } from "../state/context.js";
import type { ContentPart } from "../glm/types.js";
import { intakeDocument, MAX_INLINE_TEXT_BYTES, type DocumentReport } from "../media/document.js";
import { formatBytes } from "../media/errors.js";
import { mediaPolicy } from "../media/policy.js";
import { createProgress, type ToolExtra } from "./progress.js";
import { guard, ToolInputError } from "./result.js";
import {
  answerOutput,
  answerResult,
  commonVisionFields,
  DEFAULT_VISION_MODEL,
  mapLimit,
  modelRules,
  streamVision,
  visionBody,
  visionModelField,
} from "./vision-shared.js";
import { sourceString } from "./limits.js";

export const DOCUMENT_ANALYZE = "document_analyze";
export const MAX_FILES = 50;

export const documentAnalyzeInput = {
  files: z
    .array(sourceString("each file").min(1))
    .min(1)
    .max(MAX_FILES)
    .describe(
      `1–${MAX_FILES} documents. pdf, docx, xlsx, pptx, txt, jsonl: as http(s) URLs GLM can fetch (GLM takes no uploads for these). Local text files (txt, md, json, csv, source code; ≤ ${formatBytes(MAX_INLINE_TEXT_BYTES)} each) may also be paths, ~/..., file://..., data: URIs or base64: their text is put in the prompt.`,
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
      sent_as: z.enum(["file_url", "text"]),
      format: z.string().optional(),
      bytes: z.number().optional(),
    }),
  ),
};

export const documentAnalyzeConfig = {
  title: "Analyze documents with GLM vision",
  description: [
    "Ask a GLM vision model (default GLM-4.6V) about documents: summarise or compare PDFs, Word, Excel and PowerPoint files, answer questions with charts and tables understood, extract fields.",
    "Use when: you have document URLs (pdf/docx/xlsx/pptx/txt/jsonl), or local text files, and need them read as a whole by a model that sees layout, tables and figures.",
    "Do not use for: images or screenshots (vision_analyze), videos (video_understand), or a local PDF/Office file that has no URL (publish it, or extract its text and pass the .txt).",
    "Cost/latency: paid per token (documents can be many tokens; glm-4.6v-flash is free); 10 s to minutes — progress notifications are sent while GLM works.",
  ].join("\n"),
  inputSchema: documentAnalyzeInput,
  outputSchema: documentAnalyzeOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true, destructiveHint: false },
};

type Args = z.infer<z.ZodObject<typeof documentAnalyzeInput>>;

export async function documentAnalyzeHandler(
  ctx: AppContext,
  args: Args,
  extra?: ToolExtra,
  server?: McpServer,
): Promise<CallToolResult> {
  const progress = createProgress(extra);
  const model = args.model ?? DEFAULT_VISION_MODEL;
  try {
    const rules = modelRules(model);
    const policy = await mediaPolicy(ctx, server, extra?.signal);
    let done = 0;
    progress.now(`preparing ${args.files.length} file${args.files.length === 1 ? "" : "s"}`);
    const intakes = await mapLimit(args.files, 4, async (f) => {
      const r = await intakeDocument(f, policy);
      progress.update(++done, `prepared file ${done}/${args.files.length}`, args.files.length);
      return r;
    });
    if (!rules.files && intakes.some((i) => i.part.type === "file_url")) {
      throw new ToolInputError(
        `${model} cannot read document URLs (file_url is GLM-4.6V / GLM-4.5V only): use glm-4.6v (default) or glm-4.6v-flash (free).`,
      );
    }
    // Files only: GLM forbids file_url together with image_url/video_url in one message.
    const parts: ContentPart[] = [...intakes.map((i) => i.part), { type: "text", text: args.prompt }];
    const answer = await streamVision(
      ctx,
      visionBody({
        model,
        rules,
        parts,
        thinking: args.thinking,
        max_tokens: args.max_tokens,
        temperature: args.temperature,
      }),
      progress,
      extra?.signal,
    );
    const reports: DocumentReport[] = intakes.map((i) => i.report);
    const line = `Files sent: ${reports.map((r) => (r.sent_as === "file_url" ? `${r.source} (URL)` : `${r.source} (text, ${formatBytes(r.bytes ?? 0)})`)).join("; ")}`;
    const { content, structured } = await answerResult(
      ctx,
      "document-analyze",
      model,
      answer,
      args.include_reasoning,
      line,
    );
    return { content, structuredContent: { ...structured, files: reports } };
  } catch (err) {
    if (!(err instanceof ToolInputError)) ctx.usage.recordError(model);
    throw err;
  } finally {
    progress.stop();
  }
}

export function registerDocumentAnalyzeTool(server: McpServer, ctx: AppContext): void {
  server.registerTool(DOCUMENT_ANALYZE, documentAnalyzeConfig, (args, extra) =>
    guard(ctx, DOCUMENT_ANALYZE, () => documentAnalyzeHandler(ctx, args, extra, server)),
  );
}
