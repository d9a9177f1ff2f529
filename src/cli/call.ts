// `glm-mcp call <tool> --args '<json>'`: one tool call in-process, for shell scripts and CI jobs
// without an MCP client. The tool runs through the real MCP server (in-memory transport), so
// validation, progress and error results are exactly what an agent would see.
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../state/context.js";
import { redact, type Logger } from "../log.js";
import { outputNameFromUri } from "../server/resources/output.js";
import { createServer } from "../server/index.js";
import { VERSION } from "../version.js";

export interface CallOptions {
  json?: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  signal?: AbortSignal;
  /** A progress line is printed only once the call has run this long (default 1000 ms): a quick
   * result or failure is printed alone, a long call still shows that it is alive. */
  progressDelayMs?: number;
}

const PROGRESS_DELAY_MS = 1_000;

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
  const secrets = [ctx.config.apiKey, ctx.config.http.token];
  // The failure sentence is printed below; the server's own log line of it would print it twice.
  const server = createServer({ ...ctx, logger: withoutFailureLines(ctx.logger, tool) });
  const client = new Client({ name: "glm-mcp-call", version: VERSION });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  const progress = delayedProgress(opts.err, opts.progressDelayMs ?? PROGRESS_DELAY_MS);
  const failed = (message: string) => {
    progress.drop();
    if (opts.json) opts.out(JSON.stringify({ isError: true, error: message }, null, 2) + "\n");
    else opts.err(`glm-mcp: ${tool} failed: ${message}\n`);
    return 1;
  };
  try {
    const { tools } = await client.listTools();
    const listed = tools.find((t) => t.name === tool);
    if (!listed) {
      opts.err(`glm-mcp: unknown tool "${tool}"; available: ${tools.map((t) => t.name).join(", ")}\n`);
      return 1;
    }
    let result: CallToolResult;
    try {
      result = (await client.callTool({ name: tool, arguments: args }, undefined, {
        signal: opts.signal,
        // GLM's own timeouts apply inside; this only keeps the in-memory request from expiring first.
        timeout: ctx.config.timeoutMs * (ctx.config.maxRetries + 2),
        resetTimeoutOnProgress: true,
        onprogress: (p) => progress.show(`[progress] ${p.message ?? p.progress}\n`),
      })) as CallToolResult;
    } catch (e) {
      // Protocol-level failures (e.g. a cancelled request).
      return failed(redact(e instanceof Error ? e.message : String(e), secrets));
    }
    progress.drop();
    const text = redact(resultText(result, ctx.config.outputDir), secrets);
    if (result.isError)
      return failed(Object.keys(args).length === 0 ? `${text} ${howToPassArgs(listed)}` : text);
    if (opts.json) {
      const payload = result.structuredContent ?? { content: result.content };
      opts.out(redact(JSON.stringify(payload, null, 2), secrets) + "\n");
    } else {
      opts.out(text.endsWith("\n") ? text : text + "\n");
    }
    return 0;
  } finally {
    progress.drop();
    await client.close().catch(() => {});
    await server.close().catch(() => {});
  }
}

/** Said when a call without arguments fails: how to give them, with the tool's required ones. */
export function howToPassArgs(tool: Tool): string {
  const required = (tool.inputSchema.required ?? []) as string[];
  const example = JSON.stringify(
    Object.fromEntries((required.length ? required : ["prompt"]).map((k) => [k, "..."])),
  );
  return `(No arguments were given: pass them as one JSON object, e.g. glm-mcp call ${tool.name} --args '${example}', or --args - to read the JSON from stdin.)`;
}

/** Shows the latest progress line once it has been pending for `delayMs`; drop() forgets it. */
function delayedProgress(write: (text: string) => void, delayMs: number) {
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    show(line: string) {
      pending = line;
      timer ??= setTimeout(() => {
        timer = undefined;
        if (pending) write(pending);
        pending = undefined;
      }, delayMs);
    },
    drop() {
      clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}

function withoutFailureLines(logger: Logger, tool: string): Logger {
  const keep = (level: keyof Logger) => (msg: string, data?: Record<string, unknown>) =>
    msg.startsWith(`${tool} failed: `) ? undefined : logger[level](msg, data);
  return { debug: keep("debug"), info: keep("info"), warning: keep("warning"), error: keep("error") };
}
