// Two ioredis connections (commands, and pub/sub which cannot share one) set so that nothing waits
// on a Redis that is gone: no offline queue, a command timeout, and reconnection forever with a
// capped backoff so a Redis that comes back is used again without a restart.
import type { Redis as RedisClient, RedisOptions } from "ioredis";
import type { Logger } from "../log.js";
import { maskUrlCredentials } from "../util/url-credentials.js";

export const COMMAND_TIMEOUT_MS = 2_000;

export interface RedisLink {
  readonly client: RedisClient;
  readonly subscriber: RedisClient;
  /** Whether the command connection is ready now. */
  readonly up: boolean;
  close(): Promise<void>;
}

export async function connectRedis(url: string, display: string, logger: Logger): Promise<RedisLink> {
  const { Redis } = await import("ioredis");
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    lazyConnect: true,
  };
  const client = new Redis(url, options);
  // Subscriptions are re-sent by ioredis after a reconnect; they may queue while connecting.
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
  let up = false;
  let everUp = false;
  let lastError = "";
  client.on("ready", () => {
    up = true;
    logger.info(
      everUp ? `Redis at ${display} is back: state is shared again` : `state shared in Redis at ${display}`,
    );
    everUp = true;
  });
  client.on("close", () => {
    if (up)
      logger.warning(
        `lost Redis at ${display}: reconnecting; calls that need shared state fail until it returns`,
      );
    up = false;
  });
  const onError = (e: Error) => {
    // ioredis emits an error per failed reconnect: log each new reason once, never crash.
    if (e.message === lastError) return;
    lastError = e.message;
    logger.warning(`Redis at ${display}: ${maskUrlCredentials(e.message)}`);
  };
  client.on("error", onError);
  subscriber.on("error", () => {});
  // Start-up waits briefly for Redis; a Redis that comes up later is picked up by the reconnects.
  await Promise.race([
    client.connect().catch(() => {}),
    new Promise((r) => setTimeout(r, COMMAND_TIMEOUT_MS).unref()),
  ]);
  subscriber.connect().catch(() => {});
  return {
    client,
    subscriber,
    get up() {
      return up;
    },
    close: async () => {
      client.disconnect();
      subscriber.disconnect();
    },
  };
}
