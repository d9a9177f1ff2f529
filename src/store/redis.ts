// The Redis store: what replicas share, over two connections (see redis-connection.ts).
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { DEFAULT_CONVERSATION_LIMITS } from "./memory.js";
import { RedisConversations } from "./redis-conversations.js";
import { connectRedis } from "./redis-connection.js";
import { RedisGate } from "./redis-gate.js";
import { RedisUsage } from "./redis-usage.js";
import type { CancelBus, StateStore } from "./types.js";

export interface RedisStore extends StateStore {
  readonly gate: RedisGate;
  readonly usage: RedisUsage;
}

export async function redisStore(config: Config, logger: Logger): Promise<RedisStore> {
  const { redisUrl, redisDisplay, prefix, leaseMs } = config.store;
  const where = redisDisplay ?? "redis";
  const link = await connectRedis(redisUrl!, where, logger);
  const channel = `${prefix}:cancel`;
  const handlers: ((caller: string, id: string | number) => void)[] = [];
  link.subscriber.subscribe(channel).catch(() => {});
  link.subscriber.on("message", (ch: string, message: string) => {
    if (ch !== channel) return;
    try {
      const { caller, id } = JSON.parse(message) as { caller: string; id: string | number };
      for (const h of handlers) h(caller, id);
    } catch {
      // not one of ours
    }
  });
  const cancels: CancelBus = {
    publish: (caller, id) =>
      void link.client.publish(channel, JSON.stringify({ caller, id })).catch(() => {}),
    subscribe: (handler) => void handlers.push(handler),
  };
  const gate = new RedisGate(link, prefix, config.maxConcurrency, leaseMs, logger);
  return {
    kind: "redis",
    where,
    conversations: new RedisConversations(link, prefix, where, DEFAULT_CONVERSATION_LIMITS),
    usage: new RedisUsage(link, prefix, logger),
    gate,
    cancels,
    get healthy() {
      return link.up;
    },
    close: async () => {
      gate.abandon();
      await link.close();
    },
  };
}
