// State shared by every MCP session of one process (stateless HTTP builds a server per request).
import type { Config } from "../config.js";
import { ConversationStore } from "./conversations.js";
import { EmbeddingCache } from "../embeddings/cache.js";
import { GlmClient } from "../glm/client.js";
import { createLogger, type Logger } from "../log.js";
import { UsageTracker } from "./usage.js";

export interface AppContext {
  readonly config: Config;
  readonly glm: GlmClient;
  readonly logger: Logger;
  readonly conversations: ConversationStore;
  readonly usage: UsageTracker;
  /** embed_text vectors keyed by (model, dimensions, text), shared by all sessions. */
  readonly embeddingCache: EmbeddingCache;
}

export function createAppContext(
  config: Config,
  overrides: Partial<Omit<AppContext, "config">> = {},
): AppContext {
  const logger = overrides.logger ?? createLogger(config.logLevel, [config.apiKey, config.http.token]);
  return {
    config,
    logger,
    glm: overrides.glm ?? GlmClient.fromConfig(config, logger),
    conversations: overrides.conversations ?? new ConversationStore(),
    usage: overrides.usage ?? new UsageTracker(),
    embeddingCache:
      overrides.embeddingCache ??
      new EmbeddingCache({
        maxBytes: config.embedCacheMaxBytes,
        dir: config.embedCacheDir,
        onDiskError: (e) => logger.warning(`embedding cache dir: ${String(e)}`),
      }),
  };
}
