// Every retry decision lives here (openai-node style): what to retry, and how long to wait.
import { GlmError } from "./errors.js";

export const MAX_RETRY_DELAY_MS = 8_000;
export const MAX_RETRY_AFTER_MS = 60_000;

/** True when repeating the request can succeed: 1302/1305, 5xx, connection faults, timeouts. */
export function shouldRetry(err: unknown, attempt: number, maxRetries: number): boolean {
  if (attempt >= maxRetries) return false;
  return err instanceof GlmError && err.retryable;
}

/**
 * Delay before retry number `attempt` (0-based). A server-sent Retry-After within bounds wins;
 * otherwise 0.5 s·2ⁿ capped at 8 s, with up to 25% jitter taken off so clients do not stampede.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0 && retryAfterMs <= MAX_RETRY_AFTER_MS)
    return retryAfterMs;
  const base = Math.min(500 * 2 ** attempt, MAX_RETRY_DELAY_MS);
  return Math.round(base * (1 - 0.25 * random()));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
