// The SDK checks each request's params with zod before its handler runs and, when they do not fit,
// answers -32603 Internal error with the whole zod issue list as the message. A caller's bad params
// are -32602 Invalid params (JSON-RPC 2.0 §5.1); here they get that code and one sentence.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import { wrapEveryRequestHandler } from "../util/sdk-handlers.js";

interface ZodLikeError {
  issues: { path: PropertyKey[]; message: string }[];
}

const isZodError = (err: unknown): err is ZodLikeError =>
  err instanceof Error &&
  /^\$?ZodError$/.test(err.name) &&
  Array.isArray((err as Partial<ZodLikeError>).issues);

/** One sentence naming the first field that does not fit, e.g. "params.protocolVersion: expected string". */
export function invalidParamsMessage(method: string, err: ZodLikeError): string {
  const issue = err.issues[0];
  if (!issue) return `Invalid params for ${method}: the request does not match its schema`;
  const where = issue.path.map(String).join(".") || "params";
  const more = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more)` : "";
  return `Invalid params for ${method}: ${where}: ${issue.message.replace(/\.$/, "")}${more}`;
}

/** Wraps every request handler registered so far (call after createServer registered them all). */
export function answerInvalidParams(server: McpServer): void {
  // No public hook sees the SDK's parse failure: the wrap (util/sdk-handlers.ts) only translates it.
  wrapEveryRequestHandler(server, (method, handler) => async (request, extra) => {
    try {
      return await handler(request, extra);
    } catch (err) {
      // Not an McpError: its message would start "MCP error -32602:"; the SDK sends code and message.
      if (isZodError(err))
        throw Object.assign(new Error(invalidParamsMessage(method, err)), {
          code: ErrorCode.InvalidParams,
        });
      throw err;
    }
  });
}
