// Opens the configured store: Redis when GLM_MCP_REDIS_URL is set (ioredis loads only then), else
// this process's memory.
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { memoryStore } from "./memory.js";
import type { StateStore } from "./types.js";

export async function openStore(config: Config, logger: Logger): Promise<StateStore> {
  if (!config.store.redisUrl) return memoryStore(config.maxConcurrency);
  const { redisStore } = await import("./redis.js");
  return redisStore(config, logger);
}
