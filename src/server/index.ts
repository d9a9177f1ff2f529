// createServer: one McpServer with every tool, resource and prompt, over shared app state.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AppContext } from "../state/context.js";
import { honourLogLevel } from "./log-level.js";
import { registerPrompts } from "./prompts/index.js";
import { registerResources } from "./resources/index.js";
import { registerTools, TOOL_DEFINITIONS } from "../tools/index.js";
import { clientRoots } from "./roots.js";
import { answerInvalidParams } from "./param-errors.js";
import { MAX_TOOL_INPUT_ELEMENTS } from "../tools/limits.js";
import { PACKAGE_NAME, VERSION } from "../version.js";

// Built from the registry (each tool's title), so a new tool never needs an edit here.
const toolList = TOOL_DEFINITIONS.map(
  (t) => `${t.name} (${t.config.title.replace(/^\w/, (c) => c.toLowerCase())})`,
);

export const SERVER_INSTRUCTIONS =
  `glm-mcp gives you Zhipu GLM models as tools: ${toolList.join("; ")}. ` +
  "Media arguments take a URL, a local path, a data: URI or base64; the server sniffs, converts and shrinks them. " +
  "Long calls stream and send progress notifications; pass a progressToken to keep your client's timeout alive. " +
  "Read glm://models for each model's limits and price class, glm://usage for tokens spent; files tools save are resources under glm://output/.";

export function createServer(ctx: AppContext): McpServer {
  const server = new McpServer(
    { name: PACKAGE_NAME, version: VERSION, title: "GLM (Zhipu / Z.AI)" },
    {
      capabilities: { tools: {}, logging: {}, resources: {}, prompts: {} },
      instructions: SERVER_INSTRUCTIONS,
      maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS,
    },
  );
  honourLogLevel(server);
  registerTools(server, { ctx, listRoots: clientRoots });
  registerResources(server, ctx);
  // After the tools: a prompt is offered only when the tool it fills is registered.
  registerPrompts(server);
  answerInvalidParams(server);
  return server;
}
