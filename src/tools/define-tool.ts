// The one frame every tool runs in: progress (with heartbeat), usage accounting, error shaping and
// registration. A tool file is its schema, description and a thin `run`; everything else is here.
import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { getParseErrorMessage } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import {
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import { z, type ZodRawShape } from "zod";
import { ToolInputError } from "../errors.js";
import { describeError, GlmError } from "../glm/errors.js";
import type { RetryInfo } from "../glm/client.js";
import { redact, redactToolResult } from "../log.js";
import { mediaPolicy, type ClientRoots, type MediaPolicy } from "../media/policy.js";
import type { AppContext } from "../state/context.js";
import { createProgress, type ProgressReporter, type ToolExtra } from "./progress.js";
import { aliasesOf } from "./aliases.js";
import { normalizeArgs } from "./aliases-normalize.js";
import { listedTool } from "./listed-schema.js";

/** What the server layer hands every tool: shared state and the client's roots (as plain data). */
export interface ToolHost {
  readonly ctx: AppContext;
  listRoots(server: McpServer, signal?: AbortSignal): Promise<ClientRoots>;
}

/** Everything one call of a tool may use besides its arguments. */
export interface ToolCall {
  readonly ctx: AppContext;
  readonly progress: ProgressReporter;
  readonly signal: AbortSignal | undefined;
  /** Where local media may be read from for this call (client roots listed on first use). */
  mediaPolicy(): Promise<MediaPolicy>;
  /** The onRetry callback for GLM calls: tells the client GLM is busy and when the retry comes. */
  onRetry(info: RetryInfo): void;
}

export interface ToolConfig<In extends ZodRawShape, Out extends ZodRawShape> {
  title: string;
  description: string;
  inputSchema: In;
  outputSchema?: Out;
  annotations: ToolAnnotations;
}

export interface ToolDefinition<In extends ZodRawShape = ZodRawShape, Out extends ZodRawShape = ZodRawShape> {
  name: string;
  config: ToolConfig<In, Out>;
  /** The model a failed call is charged to in glm://usage (failures of the caller's input are not). */
  usageModel(args: z.infer<z.ZodObject<In>>, ctx: AppContext): string;
  run(args: z.infer<z.ZodObject<In>>, call: ToolCall): Promise<CallToolResult>;
}

/** Identity at run time; gives `run` its argument types from the schema. */
export function defineTool<In extends ZodRawShape, Out extends ZodRawShape>(
  def: ToolDefinition<In, Out>,
): ToolDefinition<In, Out> {
  return def;
}

/** The SDK validates tools/call arguments against the registered schema and strips what it does not
 * know, so aliases would vanish before the frame sees them: each tool is registered with a schema
 * that passes raw arguments through, and tools/list is answered from the canonical schemas. */
const PASS_THROUGH = z.object({}).passthrough();
const listed = new WeakMap<McpServer, Map<string, { def: ToolDefinition; registered: RegisteredTool }>>();

export function registerTool<In extends ZodRawShape, Out extends ZodRawShape>(
  server: McpServer,
  host: ToolHost,
  def: ToolDefinition<In, Out>,
): void {
  const strict = z.strictObject(def.config.inputSchema);
  const callback = (raw: unknown, extra: ToolExtra) => runTool(server, host, def, strict, raw, extra);
  // The SDK infers the callback type from the concrete schema; the frame is generic over it.
  const registered = server.registerTool(
    def.name,
    { ...def.config, inputSchema: PASS_THROUGH } as never,
    callback as never,
  );
  const tools = listed.get(server) ?? new Map();
  listed.set(server, tools.set(def.name, { def: def as unknown as ToolDefinition, registered }));
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [...tools.values()]
      .filter(({ registered }) => registered.enabled)
      .map(({ def, registered }): Tool => listedTool(def.name, def.config.inputSchema, registered)),
  }));
}

async function runTool<In extends ZodRawShape, Out extends ZodRawShape>(
  server: McpServer,
  host: ToolHost,
  def: ToolDefinition<In, Out>,
  strict: z.ZodObject<In>,
  raw: unknown,
  extra: ToolExtra | undefined,
): Promise<CallToolResult> {
  const normalized = normalizeArgs(def.name, def.config.inputSchema, aliasesOf(def.name), raw);
  if (!normalized.ok) return invalidArguments(def.name, normalized.message);
  const parsed = await strict.safeParseAsync(normalized.args);
  if (!parsed.success) return invalidArguments(def.name, getParseErrorMessage(parsed.error));
  const args = parsed.data as z.infer<z.ZodObject<In>>;
  const { ctx } = host;
  const progress = createProgress(extra);
  const signal = extra?.signal;
  const call: ToolCall = {
    ctx,
    progress,
    signal,
    mediaPolicy: async () =>
      mediaPolicy(ctx.config, ctx.logger, await host.listRoots(server, signal), signal),
    onRetry: ({ attempt, delayMs, error }) =>
      progress.now(
        `GLM busy (${error.code ?? error.name}); retry ${attempt} in ${Math.round(delayMs / 100) / 10} s`,
      ),
  };
  try {
    return redactToolResult(await def.run(args, call), [ctx.config.apiKey, ctx.config.http.token]);
  } catch (err) {
    if (!(err instanceof ToolInputError)) ctx.usage.recordError(def.usageModel(args, ctx));
    return errorResult(ctx, err, def.name);
  } finally {
    progress.stop();
  }
}

/** The same isError result the SDK gives for arguments its schema refuses (clients and tests know it). */
function invalidArguments(toolName: string, message: string): CallToolResult {
  const text = `MCP error -32602: Input validation error: Invalid arguments for tool ${toolName}: ${message}`;
  return { content: [{ type: "text", text }], isError: true };
}

/** One actionable sentence, the API key and HTTP token redacted; the server keeps serving. */
export function errorResult(ctx: AppContext, err: unknown, toolName: string): CallToolResult {
  const text = redact(describeError(err), [ctx.config.apiKey, ctx.config.http.token]);
  const level = err instanceof ToolInputError || err instanceof GlmError ? "info" : "error";
  ctx.logger[level](
    `${toolName} failed: ${text}`,
    err instanceof GlmError ? { code: err.code, status: err.status } : undefined,
  );
  return { isError: true, content: [{ type: "text", text }] };
}
