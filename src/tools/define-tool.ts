// The one frame every tool runs in: argument aliases, validation, progress (with heartbeat), usage
// accounting, error shaping and registration. A tool file is its schema, description, alias table
// and a thin `run`; everything else is here.
import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { getParseErrorMessage } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import {
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import { z, type ZodRawShape } from "zod";
import { ToolInputError } from "../errors.js";
import { describeError, GlmError, MissingApiKeyError } from "../glm/errors.js";
import type { RetryInfo } from "../glm/client.js";
import { ModelKindError, type EndpointKind, type Modality } from "../glm/models.js";
import { redact, redactToolResult } from "../log.js";
import { mediaPolicy, type ClientRoots, type MediaPolicy } from "../media/policy.js";
import type { AppContext } from "../state/context.js";
import { secretsOf } from "../state/secrets.js";
import { createProgress, hasLogListener, type ProgressReporter, type ToolExtra } from "./progress.js";
import {
  normalizeArguments,
  type AliasTable,
  type FieldSchema,
  type ToolShape,
} from "./aliases/normalize.js";
import { listedSchema, type JsonSchema } from "./listed-schema.js";
import { isLegacyProtocol, legacyToolResult } from "../output/legacy-shape.js";
import { protocolVersionOf, rememberNegotiatedVersion } from "./protocol-version.js";
import { toolsTaking } from "./model-users.js";

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
  /** The kinds of GLM endpoint it calls: doctor and glm://models list each tool's endpoint from these. */
  calls: readonly EndpointKind[];
  /** What a model must take to serve it (video_understand: video), where its kind alone does not say. */
  modelInput?: Modality;
  /** Other names and shapes agents use for this tool's arguments (src/tools/aliases/<tool>.ts). */
  aliases?: AliasTable;
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

/**
 * Registers `def` so that the SDK lets every argument object through (a permissive schema) and the
 * frame does the rest: aliases and shapes mapped to canonical arguments, then the canonical schema
 * checked here with the SDK's own error wording. tools/list is served from the canonical schemas
 * (the SDK would list the permissive one, and an alias-aware zod preprocess would list nothing).
 */
export function registerTool<In extends ZodRawShape, Out extends ZodRawShape>(
  server: McpServer,
  host: ToolHost,
  def: ToolDefinition<In, Out>,
): void {
  const { canonical, shape } = compiled(def);
  const callback = async (raw: Record<string, unknown>, extra: ToolExtra): Promise<CallToolResult> => {
    const result = await (async () => {
      let normalized: Record<string, unknown>;
      try {
        normalized = normalizeArguments(shape, def.aliases ?? { names: {} }, raw);
      } catch (err) {
        return errorResult(host.ctx, err, def.name);
      }
      const parsed = await canonical.safeParseAsync(normalized);
      if (!parsed.success) return validationError(def.name, parsed.error);
      return runTool(server, host, def, parsed.data as z.infer<z.ZodObject<In>>, extra);
    })();
    // Shaped once, here, for the protocol version this request speaks (output/legacy-shape.ts).
    return isLegacyProtocol(protocolVersionOf(server, extra)) ? legacyToolResult(result) : result;
  };
  const registered = server.registerTool(
    def.name,
    // No outputSchema for the SDK: it would check every result against it with zod (a few % of the CPU
    // of a call, most for embedding vectors); tools/list still lists it (serveCanonicalList), and the
    // tool tests' clients check each result against that listed schema.
    { ...def.config, inputSchema: ACCEPT_ANY_OBJECT, outputSchema: undefined },
    // The SDK infers the callback type from the concrete schema; the frame is generic over it.
    callback as never,
  );
  serveCanonicalList(server, def, registered);
}

/** What the SDK validates against: any object, unknown keys kept (its element cap still applies first). */
const ACCEPT_ANY_OBJECT = z.looseObject({});

interface Compiled {
  canonical: z.ZodType;
  shape: ToolShape;
  input: JsonSchema;
  output: JsonSchema | undefined;
}
const compiledDefs = new WeakMap<object, Compiled>();

/** The canonical validator and listed schemas of a definition, built once per process. */
function compiled(def: ToolDefinition<ZodRawShape, ZodRawShape>): Compiled {
  let c = compiledDefs.get(def);
  if (!c) {
    const input = listedSchema(def.config.inputSchema, "input");
    c = {
      canonical: z.object(def.config.inputSchema).strict(),
      shape: {
        name: def.name,
        properties: (input.properties ?? {}) as Record<string, FieldSchema>,
        required: (input.required ?? []) as string[],
      },
      input,
      output: def.config.outputSchema ? listedSchema(def.config.outputSchema, "output") : undefined,
    };
    compiledDefs.set(def, c);
  }
  return c;
}

/** The isError result the SDK itself returns for arguments that fail the input schema. */
function validationError(toolName: string, error: unknown): CallToolResult {
  const text = new McpError(
    ErrorCode.InvalidParams,
    `Input validation error: Invalid arguments for tool ${toolName}: ${getParseErrorMessage(error)}`,
  ).message;
  return { isError: true, content: [{ type: "text", text }] };
}

const listedTools = new WeakMap<
  McpServer,
  Map<string, { def: ToolDefinition; registered: RegisteredTool }>
>();

/** Names of the tools registered on `server` through this frame (McpServer keeps its own list private). */
export function registeredToolNames(server: McpServer): Set<string> {
  return new Set(listedTools.get(server)?.keys());
}

/** tools/list as the SDK shapes it, with each tool's canonical (not its permissive) input schema. */
function serveCanonicalList(server: McpServer, def: ToolDefinition, registered: RegisteredTool): void {
  let tools = listedTools.get(server);
  if (!tools) {
    const entries = new Map<string, { def: ToolDefinition; registered: RegisteredTool }>();
    listedTools.set(server, entries);
    rememberNegotiatedVersion(server);
    server.server.setRequestHandler(ListToolsRequestSchema, (_request, extra) => {
      // outputSchema came with structuredContent in 2025-06-18: older clients get neither.
      const structured = !isLegacyProtocol(protocolVersionOf(server, extra));
      return {
        tools: [...entries.values()]
          .filter(({ registered: r }) => r.enabled)
          .map(({ def: d, registered: r }): Tool => {
            const { input, output } = compiled(d);
            return {
              name: d.name,
              title: r.title,
              description: r.description,
              inputSchema: input as Tool["inputSchema"],
              annotations: r.annotations,
              execution: r.execution,
              _meta: r._meta,
              ...(output && structured ? { outputSchema: output as Tool["outputSchema"] } : {}),
            };
          }),
      };
    });
    tools = entries;
  }
  tools.set(def.name, { def, registered });
}

async function runTool<In extends ZodRawShape, Out extends ZodRawShape>(
  server: McpServer,
  host: ToolHost,
  def: ToolDefinition<In, Out>,
  args: z.infer<z.ZodObject<In>>,
  extra: ToolExtra | undefined,
): Promise<CallToolResult> {
  const { ctx } = host;
  // Every tool calls GLM: without a key, one sentence before any work (embed_text would otherwise
  // report it per failed batch).
  if (!ctx.glm.hasApiKey) return errorResult(ctx, new MissingApiKeyError(), def.name);
  const progress = createProgress(extra, { logListener: hasLogListener(server) });
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
    return redactToolResult(await def.run(args, call), secretsOf(ctx.config));
  } catch (err) {
    if (!(err instanceof ToolInputError)) ctx.usage.recordError(def.usageModel(args, ctx));
    if (err instanceof ModelKindError) {
      // Only the frame knows this server's tools: the refusal names the ones that take the model.
      const tools = [...(listedTools.get(server)?.values() ?? [])].map((t) => t.def);
      return errorResult(ctx, err.naming(toolsTaking(err.model, tools)), def.name);
    }
    return errorResult(ctx, err, def.name);
  } finally {
    progress.stop();
  }
}

/** One actionable sentence, every secret redacted (state/secrets.ts); the server keeps serving. */
export function errorResult(ctx: AppContext, err: unknown, toolName: string): CallToolResult {
  const text = redact(describeError(err), secretsOf(ctx.config));
  const level = err instanceof ToolInputError || err instanceof GlmError ? "info" : "error";
  ctx.logger[level](
    `${toolName} failed: ${text}`,
    err instanceof GlmError ? { code: err.code, status: err.status } : undefined,
  );
  return { isError: true, content: [{ type: "text", text }] };
}
