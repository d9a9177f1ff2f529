// The explicit list of tools this server offers (no auto-discovery).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AppContext } from "../context.js";
import { registerEmbedTextTool } from "./embed-text.js";
import { registerGlmReasonTool } from "./glm-reason.js";

export const TOOL_REGISTRARS: ReadonlyArray<(server: McpServer, ctx: AppContext) => void> = [registerGlmReasonTool, registerEmbedTextTool];

export function registerTools(server: McpServer, ctx: AppContext): void {
  for (const register of TOOL_REGISTRARS) register(server, ctx);
}
