// Logging goes to stderr only: in stdio mode stdout belongs to JSON-RPC.
import type { LogLevel } from "./config.js";
import { redact, rememberSecrets } from "./util/redact.js";

export { redact, redactDeep, redactKnown, redactToolResult, rememberSecrets } from "./util/redact.js";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warning: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warning(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export function createLogger(
  level: LogLevel,
  secrets: readonly (string | undefined)[] = [],
  write: (line: string) => void = (line) => process.stderr.write(line + "\n"),
): Logger {
  rememberSecrets(secrets);
  const emit = (lvl: Exclude<LogLevel, "silent">, msg: string, data?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const defined = data ? Object.entries(data).filter(([, v]) => v !== undefined) : [];
    const extra = defined.length ? " " + JSON.stringify(Object.fromEntries(defined)) : "";
    write(redact(`[glm-mcp] ${lvl}: ${msg}${extra}`, secrets));
  };
  return {
    debug: (m, d) => emit("debug", m, d),
    info: (m, d) => emit("info", m, d),
    warning: (m, d) => emit("warning", m, d),
    error: (m, d) => emit("error", m, d),
  };
}

export const silentLogger: Logger = createLogger("silent");
