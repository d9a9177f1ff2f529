// The explicit list of tools this server offers (no auto-discovery).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AppContext } from "../state/context.js";
import { registerEmbedTextTool } from "./embed-text.js";
import { registerGlmReasonTool } from "./glm-reason.js";
import { registerRealtimeChatTool } from "./realtime-chat.js";
import { registerVoiceReplyTool } from "./voice-reply.js";
import { registerDocumentAnalyzeTool } from "./document-analyze.js";
import { registerVideoUnderstandTool } from "./video-understand.js";
import { registerVisionAnalyzeTool } from "./vision-analyze.js";
import { registerVisionLocateTool } from "./vision-locate.js";

export const TOOL_REGISTRARS: ReadonlyArray<(server: McpServer, ctx: AppContext) => void> = [
  registerGlmReasonTool,
  registerEmbedTextTool,
  registerVisionAnalyzeTool,
  registerVisionLocateTool,
  registerVideoUnderstandTool,
  registerDocumentAnalyzeTool,
  registerVoiceReplyTool,
  registerRealtimeChatTool,
];

export function registerTools(server: McpServer, ctx: AppContext): void {
  for (const register of TOOL_REGISTRARS) register(server, ctx);
}
