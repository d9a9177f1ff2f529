// glm://usage — tokens and calls per model: this process's since it started, or with Redis every
// replica's since the shared counters began.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AppContext } from "../../state/context.js";

export const USAGE_URI = "glm://usage";

export async function usageDocument(ctx: AppContext) {
  const snap = await ctx.usage.snapshot();
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
  return {
    since: snap.since,
    scope: snap.scope,
    ...(snap.note ? { note: snap.note } : {}),
    totals,
    models: snap.models,
  };
}

export function registerUsageResource(server: McpServer, ctx: AppContext): void {
  server.registerResource(
    "usage",
    USAGE_URI,
    {
      title: "GLM usage since start",
      description:
        "Calls, errors and tokens (prompt, completion, cached) per GLM model since this server started (with a shared Redis store: summed over every replica; `scope` says which). Read it to check what a session has cost.",
      mimeType: "application/json",
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: "application/json",
          text: JSON.stringify(await usageDocument(ctx), null, 2),
        },
      ],
    }),
  );
}
