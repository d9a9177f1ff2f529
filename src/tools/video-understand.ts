// video_understand: ask a GLM vision model about a video (URL, or a small local mp4/mov/mkv).
import { z } from "zod";
import { intakeVideo } from "../media/video.js";
import { resolveModel, visionRules } from "../glm/models.js";
import { visionRequest } from "../glm/requests.js";
import { answerResult } from "../output/answer.js";
import { streamChat } from "./chat.js";
import { videoUnderstandAliases } from "./aliases/video-understand.js";
import { defineTool } from "./define-tool.js";
import { answerOutput, commonVisionFields, DEFAULT_VISION_MODEL, visionModelField } from "./vision-fields.js";
import { sourceString } from "./limits.js";
import { ToolInputError } from "../errors.js";
import { formatBytes } from "../util/format.js";

export const VIDEO_UNDERSTAND = "video_understand";

export const videoUnderstandInput = {
  video: sourceString("video")
    .min(1)
    .describe(
      "The video: an http(s) URL (preferred: GLM fetches it, mp4/mkv/mov up to 200 MB), or a local mp4/mov/mkv file (path, ~/..., file://..., Windows path) up to the server's inline cap (8 MB by default, GLM_MCP_VIDEO_MAX_MB), or a data: URI / base64 of one.",
    ),
  ...commonVisionFields,
  model: visionModelField.describe(
    `GLM vision model. Default ${DEFAULT_VISION_MODEL}; glm-4.6v-flash is free; glm-4.1v-thinking-flash(x) always reasons. glm-4v-flash does not take video.`,
  ),
};

export const videoUnderstandOutput = {
  ...answerOutput,
  video: z.object({
    source: z.string(),
    source_kind: z.enum(["url", "path", "data-uri", "base64"]),
    sent_as: z.enum(["url", "base64"]),
    format: z.string().optional(),
    bytes: z.number().optional(),
  }),
};

const videoUnderstandConfig = {
  title: "Understand a video with GLM vision",
  description: [
    "Ask a GLM vision model (default GLM-4.6V) about a video: summarise it, find when something happens, read on-screen text, describe a screen recording or a UI bug repro.",
    "Use when: you have a video URL or a short local mp4/mov/mkv clip and need its content explained or a question about it answered.",
    "Do not use for: still images (vision_analyze), documents (document_analyze), or audio-only files.",
    "Cost/latency: paid per token (video is token-heavy; glm-4.6v-flash is free); often 20 s to several minutes — progress notifications are sent while GLM works. Local files are sent inline as base64, so prefer a URL for anything large.",
  ].join("\n"),
  inputSchema: videoUnderstandInput,
  outputSchema: videoUnderstandOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true, destructiveHint: false },
};

export const videoUnderstandTool = defineTool({
  name: VIDEO_UNDERSTAND,
  calls: ["vision"],
  modelInput: "video",
  config: videoUnderstandConfig,
  aliases: videoUnderstandAliases,
  usageModel: (args, ctx) => args.model ?? ctx.config.defaultVisionModel,
  async run(args, call) {
    const info = resolveModel(
      args.model ?? call.ctx.config.defaultVisionModel,
      ["vision"],
      call.ctx.config.region,
    );
    const model = info.name;
    const rules = visionRules(model);
    if (!rules.video)
      throw new ToolInputError(
        `${model} does not take video: use glm-4.6v (default) or glm-4.6v-flash (free).`,
      );
    const policy = await call.mediaPolicy();
    call.progress.now("preparing the video");
    const { part, report } = await intakeVideo(args.video, policy);
    const { thinking, max_tokens, temperature } = args;
    const parts = [part, { type: "text" as const, text: args.prompt }];
    const req = visionRequest({ info, parts, thinking, max_tokens, temperature });
    const answer = await streamChat(call, req.body);
    const intakeLine =
      report.sent_as === "url"
        ? `Video sent: ${report.source} (URL passed to GLM as-is)`
        : `Video sent: ${report.source} inline (${report.format}, ${formatBytes(report.bytes ?? 0)})`;
    const shaped = await answerResult(call.ctx.config.outputDir, {
      prefix: "video-understand",
      model,
      answer,
      includeReasoning: args.include_reasoning,
      adjusted: req.notes,
      intakeLine,
    });
    return { content: shaped.content, structuredContent: { ...shaped.structured, video: report } };
  },
});
