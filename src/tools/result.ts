// Building tool results: one actionable sentence on failure, never the API key.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../state/context.js";
import { describeError, GlmError } from "../glm/errors.js";
import { redact } from "../log.js";

/** An error a tool raises for bad input it detected itself (not from GLM). */
export class ToolInputError extends Error {
  override name = "ToolInputError";
}

export function errorResult(ctx: AppContext, err: unknown, toolName: string): CallToolResult {
  const text = redact(describeError(err), [ctx.config.apiKey, ctx.config.http.token]);
  const level = err instanceof ToolInputError || err instanceof GlmError ? "info" : "error";
  ctx.logger[level](
    `${toolName} failed: ${text}`,
    err instanceof GlmError ? { code: err.code, status: err.status } : undefined,
  );
  return { isError: true, content: [{ type: "text", text }] };
}

/** Runs a handler and turns anything it throws into an isError result; the server keeps serving. */
export async function guard(
  ctx: AppContext,
  toolName: string,
  fn: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (err) {
    return errorResult(ctx, err, toolName);
  }
}
