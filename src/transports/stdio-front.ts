// The first reader of stdin. It answers `initialize`, `tools/list` and `ping` from the snapshot the
// build wrote (dist/startup-snapshot.json, scripts/startup-snapshot.ts) without loading the SDK, zod
// or any tool code; the first other message starts the real server (stdio.ts), which is handed the
// client's `initialize` again (under a private id, its answer hidden) and then every line in order.
// Anything the snapshot path is unsure about goes to the real server, which answers it as it always has.
import { readFileSync } from "node:fs";
import type { Logger } from "../log.js";
import { MAX_BODY_BYTES } from "./http-limits.js";
import { LineCap, type RequestId } from "./line-cap.js";

export interface StartupSnapshot {
  /** The protocol versions the SDK accepts, and the one it answers an unknown version with. */
  protocolVersions: string[];
  latestProtocolVersion: string;
  /** The InitializeResult without protocolVersion (negotiated per request). */
  initialize: Record<string, unknown>;
  /**
   * The ListToolsResult as JSON text, spliced into the answer as it is: parsing it at every start
   * and serializing it again cost ~1.2 ms of ~30 ms CPU to tools/list (12 tools, 56 KB).
   */
  toolsListJson: string;
}

/** What the real server gets: the line reader, and where to hand its screen once it listens. */
export interface StdioLines {
  readonly input: LineCap;
  /** Answers to this id are the replayed initialize's: not the client's, never sent. */
  readonly hiddenId: RequestId;
  /** Installs the server's screen and feeds it the lines held so far, in order. */
  attach(screen: (line: Buffer) => boolean): void;
}

export interface StdioHandle {
  close(graceMs?: number): Promise<void>;
}

// Random per process: a client may use any string as an id, and one equal to a fixed private id
// would never have been answered. Not node:crypto: loading it at start costs more than the whole
// front (it needs no secrecy, only to differ from what a client would pick).
const HIDDEN_ID = `glm-mcp/replayed-initialize/${process.pid}-${Math.random().toString(36).slice(2)}`;

/**
 * The snapshot written by the build (dist/startup-snapshot.json, beside the entry that names it),
 * or undefined (running from source: every line goes to the server).
 */
export function readStartupSnapshot(file: string | URL): StartupSnapshot | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as StartupSnapshot;
  } catch {
    return undefined;
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is RequestId =>
  typeof v === "string" || (typeof v === "number" && Number.isSafeInteger(v));
const optional = (v: unknown, test: (v: unknown) => boolean) => v === undefined || test(v);
const isString = (v: unknown) => typeof v === "string";

/** Only the keys a JSON-RPC request or notification may have (the SDK's schemas are strict). */
function isWellFormed(m: Json): boolean {
  return (
    m.jsonrpc === "2.0" &&
    typeof m.method === "string" &&
    optional(m.params, isObject) &&
    Object.keys(m).every((k) => k === "jsonrpc" || k === "id" || k === "method" || k === "params")
  );
}

/** InitializeRequest params the SDK certainly accepts; anything odder is the real server's to judge. */
function isPlainInitialize(p: unknown): boolean {
  if (!isObject(p) || typeof p.protocolVersion !== "string") return false;
  const caps = p.capabilities;
  const info = p.clientInfo;
  return (
    isObject(caps) &&
    Object.values(caps).every((v) => optional(v, isObject)) &&
    isObject(info) &&
    isString(info.name) &&
    isString(info.version) &&
    optional(info.title, isString) &&
    optional(info.websiteUrl, isString) &&
    optional(info.icons, Array.isArray)
  );
}

/**
 * tools/list for the negotiated version: before 2025-06-18 (dates sort as text) no outputSchema, as
 * the real server lists it (tools/define-tool.ts, output/legacy-shape.ts).
 */
function toolsListFor(snapshot: StartupSnapshot, version: string | undefined): string {
  if (version === undefined || version >= "2025-06-18") return snapshot.toolsListJson;
  const list = JSON.parse(snapshot.toolsListJson) as Json;
  const tools = (list.tools as Json[]).map(({ outputSchema: _o, ...tool }) => tool);
  return JSON.stringify({ ...list, tools });
}

/** The version an initialize asking for `asked` negotiates: that one if supported, else the latest. */
function negotiatedVersion(snapshot: StartupSnapshot, asked: string): string {
  return snapshot.protocolVersions.includes(asked) ? asked : snapshot.latestProtocolVersion;
}

/**
 * The snapshot's answer to one message as a JSON-RPC line (without the newline), or undefined when
 * the real server must answer it.
 * `initialized` says whether this client's initialize was answered from the snapshot already, and
 * `version` is the protocol version it negotiated.
 */
export function snapshotAnswer(
  snapshot: StartupSnapshot,
  m: Json,
  initialized: boolean,
  version?: string,
): string | undefined {
  if (!isWellFormed(m) || !isId(m.id)) return undefined;
  const answer = (result: string) => `{"jsonrpc":"2.0","id":${JSON.stringify(m.id)},"result":${result}}`;
  const params = m.params as Json | undefined;
  if (m.method === "initialize" && !initialized && isPlainInitialize(params)) {
    const protocolVersion = negotiatedVersion(snapshot, params!.protocolVersion as string);
    return answer(JSON.stringify({ protocolVersion, ...snapshot.initialize }));
  }
  if (!initialized) return undefined;
  if (m.method === "tools/list" && optional(params?.cursor, isString))
    return answer(toolsListFor(snapshot, version));
  if (m.method === "ping") return answer("{}");
  return undefined;
}

function writeMessage(message: unknown): void {
  process.stdout.write(JSON.stringify(message) + "\n");
}

/**
 * Reads stdin, answers what the snapshot can, and starts the real server (`start`) on the first
 * message it cannot answer. Returns the handle that closes whichever is running.
 */
export function startStdioFront(opts: {
  logger: Logger;
  snapshot: StartupSnapshot | undefined;
  start(lines: StdioLines): Promise<StdioHandle>;
}): StdioHandle {
  const { logger, snapshot } = opts;
  const held: Buffer[] = []; // lines for the real server, in order
  let initializeLine: Buffer | undefined; // the client's, re-addressed to HIDDEN_ID
  let negotiated: string | undefined; // the protocol version its answer named
  let screen: ((line: Buffer) => boolean) | undefined;
  let server: Promise<StdioHandle> | undefined;
  let closing = false;

  const fromSnapshot = (line: Buffer): boolean => {
    if (!snapshot || server) return false;
    if (line.toString("utf8").trim() === "") return true; // the server's reader skips these too
    let m: unknown;
    try {
      m = JSON.parse(line.toString("utf8"));
    } catch {
      return false;
    }
    if (!isObject(m)) return false;
    if (m.method === "notifications/initialized" && initializeLine && !("id" in m) && isWellFormed(m)) {
      held.push(line); // replayed after the initialize, as the client sent it
      return true;
    }
    const answer = snapshotAnswer(snapshot, m, initializeLine !== undefined, negotiated);
    if (!answer) return false;
    if (m.method === "initialize") {
      initializeLine = Buffer.from(JSON.stringify({ ...m, id: HIDDEN_ID }));
      negotiated = negotiatedVersion(snapshot, (m.params as Json).protocolVersion as string);
    }
    process.stdout.write(answer + "\n");
    return true;
  };

  const startServer = () => {
    if (server) return;
    logger.debug("starting the full server for the first request the snapshot cannot answer");
    server = opts.start(lines).catch((err: unknown) => {
      logger.error(`could not start the server: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
  };

  const route = (line: Buffer): boolean => {
    if (screen) return screen(line);
    if (fromSnapshot(line)) return false;
    if (closing && !server) {
      refuseWhileClosing(line);
      return false;
    }
    held.push(line);
    startServer();
    return false;
  };

  const input = new LineCap(
    MAX_BODY_BYTES,
    (id, bytes) => {
      const message = `Request of ${Math.round(bytes / 1024 / 1024)} MB is over the ${Math.round(MAX_BODY_BYTES / 1024 / 1024)} MB limit for one message: send large media as a file path or URL instead of inline base64`;
      logger.warning(`refused a stdio message: ${message}`);
      writeMessage({ jsonrpc: "2.0", id: id ?? null, error: { code: -32600, message } });
    },
    route,
  );

  const lines: StdioLines = {
    input,
    hiddenId: HIDDEN_ID,
    attach(serverScreen) {
      screen = serverScreen;
      const replay = initializeLine ? [initializeLine, ...held] : held;
      for (const line of replay) if (serverScreen(line)) input.push(Buffer.concat([line, Buffer.from("\n")]));
      held.length = 0;
    },
  };
  process.stdin.pipe(input);

  return {
    close: async (graceMs) => {
      closing = true;
      if (server) {
        const running = await server;
        // Let the server's reader take the lines already handed to it before it stops taking any.
        await new Promise((resolve) => setImmediate(resolve));
        await running.close(graceMs);
      } else {
        await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
      }
    },
  };
}

/** A request arriving while shutting down, before the real server ever started, gets its error. */
function refuseWhileClosing(line: Buffer): void {
  try {
    const m: unknown = JSON.parse(line.toString("utf8"));
    if (isObject(m) && isId(m.id) && typeof m.method === "string") {
      writeMessage({
        jsonrpc: "2.0",
        id: m.id,
        error: { code: -32000, message: "Server is shutting down: start it again and retry" },
      });
    }
  } catch {
    // not a request: nothing is owed
  }
}
