// video_understand: ask a GLM vision model about a video (URL, or a small local mp4/mov/mkv).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AppContext } from "../state/context.js";
import { formatBytes } from "../media/errors.js";
import { mediaPolicy } from "../media/policy.js";
import { intakeVideo } from "../media/video.js";
import { createProgress, type ToolExtra } from "./progress.js";
import { guard, ToolInputError } from "./result.js";
import {
  answerOutput,
  answerResult,
  commonVisionFields,
  DEFAULT_VISION_MODEL,
  modelRules,
  streamVision,
  visionBody,
  visionModelField,
} from "./vision-shared.js";
import { sourceString } from "./limits.js";

export const VIDEO_UNDERSTAND = "video_understand";

export const videoUnderstandInput = {
  video: sourceString("video")
    .min(1)
    .describe(
      "The video: an http(s) URL (preferred: GLM fetches it, mp4/mkv/mov up to 200 MB), or a local mp4/mov/mkv file (path, ~/..., file://..., Windows path) up to the server's inline cap (20 MB by default), or a data: URI / base64 of one.",
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

export const videoUnderstandConfig = {
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

type Args = z.infer<z.ZodObject<typeof videoUnderstandInput>>;

export async function videoUnderstandHandler(
  ctx: AppContext,
  args: Args,
  extra?: ToolExtra,
  server?: McpServer,
): Promise<CallToolResult> {
  const progress = createProgress(extra);
  const model = args.model ?? DEFAULT_VISION_MODEL;
  try {
    const rules = modelRules(model);
    if (!rules.video)
      throw new ToolInputError(
        `${model} does not take video: use glm-4.6v (default) or glm-4.6v-flash (free).`,
      );
    const policy = await mediaPolicy(ctx, server, extra?.signal);
    progress.now("preparing the video");
    const { part, report } = await intakeVideo(args.video, policy);
    const answer = await streamVision(
      ctx,
      visionBody({
        model,
        rules,
        parts: [part, { type: "text", text: args.prompt }],
        thinking: args.thinking,
        max_tokens: args.max_tokens,
        temperature: args.temperature,
      }),
      progress,
      extra?.signal,
    );
    const line =
      report.sent_as === "url"
        ? `Video sent: ${report.source} (URL passed to GLM as-is)`
        : `Video sent: ${report.source} inline (${report.format}, ${formatBytes(report.bytes ?? 0)})`;
    const { content, structured } = await answerResult(
      ctx,
      "video-understand",
      model,
      answer,
      args.include_reasoning,
      line,
    );
    return { content, structuredContent: { ...structured, video: report } };
  } catch (err) {
    if (!(err instanceof ToolInputError)) ctx.usage.recordError(model);
    throw err;
  } finally {
    progress.stop();
  }
}

export function registerVideoUnderstandTool(server: McpServer, ctx: AppContext): void {
  server.registerTool(VIDEO_UNDERSTAND, videoUnderstandConfig, (args, extra) =>
    guard(ctx, VIDEO_UNDERSTAND, () => videoUnderstandHandler(ctx, args, extra, server)),
  );
}
