// Progress and log notifications for one tool call. Progress values only ever increase, and a
// heartbeat keeps clients that reset their timeout on progress from timing out while GLM is silent.
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest, LoggingLevel } from "@modelcontextprotocol/sdk/types.js";

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ProgressReporter {
  /** Report work done; `amount` is a running count (characters, items…); sends at most every `minIntervalMs` unless `force`. */
  update(amount: number, message: string, total?: number, force?: boolean): void;
  /** Sends immediately (phase changes, retries). */
  now(message: string): void;
  /** A notifications/message log line tied to this call. */
  log(level: LoggingLevel, message: string): void;
  stop(): void;
}

/** Servers whose client chose a log level (logging/setLevel); src/server/log-level.ts marks them. */
const logListeners = new WeakSet<object>();
export const markLogListener = (server: object): void => void logListeners.add(server);
export const hasLogListener = (server: object): boolean => logListeners.has(server);

/** Longest silence between two progress notifications of a call with a progressToken. */
export const HEARTBEAT_MS = 9_000;

export function createProgress(
  extra: ToolExtra | undefined,
  opts: {
    minIntervalMs?: number;
    heartbeatMs?: number;
    loggerName?: string;
    /** The client chose a log level: phase lines go out as log messages even without a progress token. */
    logListener?: boolean;
  } = {},
): ProgressReporter {
  const token = extra?._meta?.progressToken;
  // Phase log lines only for a client that listens: one that asked for this call's progress or chose
  // a log level. Nobody else reads them, and each one is a message to build and write.
  const logs = token !== undefined || opts.logListener === true;
  const minIntervalMs = opts.minIntervalMs ?? 200;
  // README promises a notification at least every 10 s: due 9 s after the last one leaves a second
  // for a busy event loop and the transport.
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
  const startedAt = Date.now();
  let last = 0;
  let lastSentAt = 0;
  let lastMessage = "started";
  let amountSeen = 0;
  let totalSeen: number | undefined;
  let stopped = false;

  let heartbeat: NodeJS.Timeout | undefined;
  /** The next heartbeat is due `heartbeatMs` after the last notification, whatever sent it. */
  const armHeartbeat = () => {
    clearTimeout(heartbeat);
    heartbeat = setTimeout(() => {
      const secs = Math.round((Date.now() - startedAt) / 1000);
      send(`${lastMessage.replace(/ \(\d+ s\)$/, "")} (${secs} s)`);
    }, heartbeatMs);
    heartbeat.unref();
  };

  const send = (message: string) => {
    if (stopped || token === undefined || !extra) return;
    armHeartbeat();
    lastSentAt = Date.now();
    // Progress must strictly increase: use the amount when it moved, else step by one.
    last = Math.max(last + 1, amountSeen);
    lastMessage = message;
    extra
      .sendNotification({
        method: "notifications/progress",
        params: {
          progressToken: token,
          progress: last,
          ...(totalSeen && totalSeen >= last ? { total: totalSeen } : {}),
          message,
        },
      })
      .catch(() => {});
  };

  const log = (level: LoggingLevel, message: string) => {
    if (stopped || !extra) return;
    extra
      .sendNotification({
        method: "notifications/message",
        params: { level, logger: "glm-mcp", data: message },
      })
      .catch(() => {});
  };

  // A deadline, not a periodic check: a 5 s check of a 10 s deadline let gaps reach 15 s.
  if (token !== undefined && extra) armHeartbeat();

  return {
    update(amount, message, total, force) {
      amountSeen = amount;
      totalSeen = total;
      if (force || Date.now() - lastSentAt >= minIntervalMs) send(message);
      else lastMessage = message;
    },
    now(message) {
      send(message);
      // Phase changes and retries also go out as log lines (filtered by logging/setLevel, see log-level.ts).
      if (logs) log("info", message);
    },
    log: (level, message) => {
      if (logs) log(level, message);
    },
    stop() {
      stopped = true;
      clearTimeout(heartbeat);
    },
  };
}

/** The onDelta callback for collectChatStream: characters so far, sent at once when the phase changes. */
export function chatStreamProgress(
  progress: ProgressReporter,
): (s: { phase: "thinking" | "answering"; contentChars: number; reasoningChars: number }) => void {
  let lastPhase: string | undefined;
  return ({ phase, contentChars, reasoningChars }) => {
    const message =
      phase === "thinking" ? `thinking… ${reasoningChars} chars` : `answering… ${contentChars} chars`;
    progress.update(contentChars + reasoningChars, message, undefined, phase !== lastPhase);
    lastPhase = phase;
  };
}
