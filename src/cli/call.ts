// `glm-mcp call <tool> --args '<json>'`: one tool call in-process, for shell scripts and CI jobs
// without an MCP client. The tool runs through the real MCP server (in-memory transport), so
// validation, progress and error results are exactly what an agent would see.
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../state/context.js";
import { secretsOf } from "../state/secrets.js";
import { redact, type Logger } from "../log.js";
import { outputNameFromUri } from "../server/resources/output.js";
import { createServer } from "../server/index.js";
import { VERSION } from "../version.js";

export interface CallOptions {
  json?: boolean;
  /** Progress lines start once the call has run this long, so quick answers and failures print only their result. */
  progressAfterMs?: number;
  out: (text: string) => void;
  err: (text: string) => void;
  signal?: AbortSignal;
}

/** Parses --args: a JSON object (empty = {}). Throws an Error with a one-line message. */
export function parseToolArgs(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new Error(
      `--args is not valid JSON (${(e as Error).message}): pass one object, e.g. --args '{"prompt":"hello"}'`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`--args must be a JSON object such as '{"prompt":"hello"}'`);
  return value as Record<string, unknown>;
}

/** Human-readable text of a result: text blocks, then where saved files are. */
export function resultText(result: CallToolResult, outputDir: string): string {
  const parts: string[] = [];
  for (const block of result.content ?? []) {
    switch (block.type) {
      case "text":
        parts.push(block.text);
        break;
      case "resource_link": {
        const name = outputNameFromUri(block.uri);
        parts.push(
          `[saved] ${name ? path.join(outputDir, name) : block.uri}${block.mimeType ? ` (${block.mimeType})` : ""}`,
        );
        break;
      }
      case "image":
      case "audio":
        parts.push(`[${block.type}: ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`);
        break;
      case "resource":
        parts.push(
          "text" in block.resource ? String(block.resource.text) : `[resource ${block.resource.uri}]`,
        );
        break;
    }
  }
  return parts.join("\n\n");
}

/** Runs `tool` once with `args`; returns the exit code (0 = success, 1 = error result or failure). */
export async function callTool(
  ctx: AppContext,
  tool: string,
  args: Record<string, unknown>,
  opts: CallOptions,
): Promise<number> {
  const secrets = secretsOf(ctx.config);
  // The failure is printed below as the command's one line; the server's own info log of it would repeat it.
  const server = createServer({ ...ctx, logger: withoutInfo(ctx.logger) });
  const client = new Client({ name: "glm-mcp-call", version: VERSION });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    const { tools } = await client.listTools();
    const listed = tools.find((t) => t.name === tool);
    if (!listed) {
      opts.err(`glm-mcp: unknown tool "${tool}"; available: ${tools.map((t) => t.name).join(", ")}\n`);
      return 1;
    }
    const missing = Object.keys(args).length === 0 ? howToPassArgs(listed) : undefined;
    if (missing) {
      opts.err(`glm-mcp: ${missing}\n`);
      return 1;
    }
    const startedAt = Date.now();
    const progressAfterMs = opts.progressAfterMs ?? PROGRESS_AFTER_MS;
    let result: CallToolResult;
    try {
      result = (await client.callTool({ name: tool, arguments: args }, undefined, {
        signal: opts.signal,
        // GLM's own timeouts apply inside; this only keeps the in-memory request from expiring first.
        timeout: ctx.config.timeoutMs * (ctx.config.maxRetries + 2),
        resetTimeoutOnProgress: true,
        onprogress: (p) => {
          if (Date.now() - startedAt >= progressAfterMs) opts.err(`[progress] ${p.message ?? p.progress}\n`);
        },
      })) as CallToolResult;
    } catch (e) {
      // Protocol-level failures (e.g. arguments that fail the input schema).
      const message = redact(e instanceof Error ? e.message : String(e), secrets);
      return failed(opts, tool, message);
    }
    const text = redact(resultText(result, ctx.config.outputDir), secrets);
    if (result.isError) {
      return failed(opts, tool, text);
    }
    if (opts.json) {
      const payload = result.structuredContent ?? { content: result.content };
      opts.out(redact(JSON.stringify(payload, null, 2), secrets) + "\n");
    } else {
      opts.out(text.endsWith("\n") ? text : text + "\n");
    }
    return 0;
  } finally {
    await client.close().catch(() => {});
    await server.close().catch(() => {});
  }
}

/** A call that ran shorter than this shows no progress lines (most answers and every input error). */
export const PROGRESS_AFTER_MS = 1_500;

/** The failure, once: as JSON on stdout with --json, else as one line on stderr. */
function failed(opts: CallOptions, tool: string, message: string): number {
  if (opts.json) opts.out(JSON.stringify({ isError: true, error: message }, null, 2) + "\n");
  else opts.err(`glm-mcp: ${tool} failed: ${message}\n`);
  return 1;
}

/** For a call without arguments to a tool that needs some: how to pass them, with an example. */
export function howToPassArgs(tool: Tool): string | undefined {
  const required = (tool.inputSchema.required ?? []) as string[];
  const props = Object.keys(tool.inputSchema.properties ?? {});
  // vision_analyze and the voice tools need one of several arguments: show the first.
  const example = required.length ? required : props.slice(0, 1);
  if (!example.length) return undefined;
  const json = JSON.stringify(Object.fromEntries(example.map((k) => [k, "…"])));
  return `${tool.name} needs arguments: pass them as one JSON object, e.g. glm-mcp call ${tool.name} --args '${json}' (or --args - to read them from stdin); it takes ${props.join(", ")}.`;
}

function withoutInfo(logger: Logger): Logger {
  return { ...logger, debug: () => {}, info: () => {} };
}
