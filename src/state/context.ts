// State shared by every MCP session of one process, and through the state store by every replica.
import type { Config } from "../config.js";
import { ConversationStore } from "./conversations.js";
import { EmbeddingCache } from "../embeddings/cache.js";
import { GlmClient } from "../glm/client.js";
import { createLogger, type Logger } from "../log.js";
import { openStore } from "../store/index.js";
import { memoryStore } from "../store/memory.js";
import type { StateStore } from "../store/types.js";
import { UsageTracker } from "./usage.js";
import { secretsOf } from "./secrets.js";

export interface AppContext {
  readonly config: Config;
  readonly glm: GlmClient;
  readonly logger: Logger;
  /** Where conversations, usage, the GLM concurrency budget and cancellations live. */
  readonly store: StateStore;
  readonly conversations: ConversationStore;
  readonly usage: UsageTracker;
  /** embed_text vectors keyed by (model, dimensions, text), shared by all sessions. */
  readonly embeddingCache: EmbeddingCache;
}

export function createAppContext(
  config: Config,
  overrides: Partial<Omit<AppContext, "config">> = {},
): AppContext {
  const logger = overrides.logger ?? createLogger(config.logLevel, secretsOf(config));
  const store = overrides.store ?? memoryStore(config.maxConcurrency);
  const shared = store.kind !== "memory";
  return {
    config,
    logger,
    store,
    glm: overrides.glm ?? GlmClient.fromConfig(config, logger, store.gate),
    conversations:
      overrides.conversations ??
      new ConversationStore(
        store.conversations,
        undefined,
        shared ? `the shared store at ${store.where}` : undefined,
      ),
    usage: overrides.usage ?? new UsageTracker(store.usage, shared, store.usage.local),
    embeddingCache:
      overrides.embeddingCache ??
      new EmbeddingCache({
        maxBytes: config.embedCacheMaxBytes,
        dir: config.embedCacheDir,
        onDiskError: (e) => logger.warning(`embedding cache dir: ${String(e)}`),
      }),
  };
}

/** The context a server runs with: the configured store opened first (Redis when set). */
export async function openAppContext(
  config: Config,
  overrides: Partial<Omit<AppContext, "config">> = {},
): Promise<AppContext> {
  const logger = overrides.logger ?? createLogger(config.logLevel, secretsOf(config));
  const store = overrides.store ?? (await openStore(config, logger));
  return createAppContext(config, { ...overrides, logger, store });
}
