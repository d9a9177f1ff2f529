// glm://usage — tokens and calls per model since this server process started.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AppContext } from "../../state/context.js";

export const USAGE_URI = "glm://usage";

export function usageDocument(ctx: AppContext) {
  const snap = ctx.usage.snapshot();
  const totals = {
    calls: 0,
    errors: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    cached_tokens: 0,
  };
  for (const m of Object.values(snap.models)) {
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += m[k];
  }
  return { since: snap.since, totals, models: snap.models };
}

export function registerUsageResource(server: McpServer, ctx: AppContext): void {
  server.registerResource(
    "usage",
    USAGE_URI,
    {
      title: "GLM usage since start",
      description:
        "Calls, errors and tokens (prompt, completion, cached) per GLM model since this server started. Read it to check what a session has cost.",
      mimeType: "application/json",
    },
    (uri) => ({
      contents: [
        { uri: uri.href, mimeType: "application/json", text: JSON.stringify(usageDocument(ctx), null, 2) },
      ],
    }),
  );
}
