// The resources this server offers: the model catalog, usage so far, and saved output files.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AppContext } from "../../state/context.js";
import { registerModelsResource } from "./models.js";
import { registerOutputResources } from "./output.js";
import { registerUsageResource } from "./usage.js";

export function registerResources(server: McpServer, ctx: AppContext): void {
  registerModelsResource(server, ctx.config);
  registerUsageResource(server, ctx);
  registerOutputResources(server, ctx);
}
