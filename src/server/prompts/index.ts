// Registers the prompts whose tool this server actually offers.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registeredToolNames } from "../../tools/define-tool.js";
import { PROMPTS, promptText } from "./catalog.js";

export function registerPrompts(server: McpServer): void {
  const tools = registeredToolNames(server);
  for (const spec of PROMPTS) {
    if (!tools.has(spec.tool)) continue;
    server.registerPrompt(
      spec.name,
      {
        title: spec.title,
        description: `${spec.description} (fills a ${spec.tool} call)`,
        argsSchema: spec.args,
      },
      (args) => ({
        description: spec.description,
        messages: [
          {
            role: "user",
            content: { type: "text", text: promptText(spec, args as Record<string, string | undefined>) },
          },
        ],
      }),
    );
  }
}
