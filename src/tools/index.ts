// The explicit list of tools this server offers (no auto-discovery), in the order tools/list shows.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerTool, type ToolDefinition, type ToolHost } from "./define-tool.js";
import { documentAnalyzeTool } from "./document-analyze.js";
import { embedTextTool } from "./embed-text.js";
import { glmReasonTool } from "./glm-reason.js";
import { realtimeChatTool } from "./realtime-chat.js";
import { videoUnderstandTool } from "./video-understand.js";
import { visionAnalyzeTool } from "./vision-analyze.js";
import { visionLocateTool } from "./vision-locate.js";
import { voiceReplyTool } from "./voice-reply.js";
import { webReadTool } from "./web-read.js";
import { webSearchTool } from "./web-search.js";
import { imageGenerateTool } from "./image-generate.js";
import { audioTranscribeTool } from "./audio-transcribe.js";

// Each definition keeps its own argument types; the list only needs what registration uses.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TOOL_DEFINITIONS: ReadonlyArray<ToolDefinition<any, any>> = [
  glmReasonTool,
  embedTextTool,
  visionAnalyzeTool,
  visionLocateTool,
  videoUnderstandTool,
  documentAnalyzeTool,
  voiceReplyTool,
  realtimeChatTool,
  webSearchTool,
  webReadTool,
  imageGenerateTool,
  audioTranscribeTool,
];

export function registerTools(server: McpServer, host: ToolHost): void {
  for (const tool of TOOL_DEFINITIONS) registerTool(server, host, tool);
}
