// Conversations in Redis, so a follow-up can land on any replica. Each is one JSON value with the
// TTL of the in-memory store; an index (id → last use) and a size hash bound the whole like the
// in-memory store: at most `max` conversations and `maxTotalChars` together, least recently used out.
import type { RedisLink } from "./redis-connection.js";
import type { ConversationLimits } from "./memory.js";
import { StoreUnavailableError, type ConversationBackend, type StoredConversation } from "./types.js";

// KEYS: index (id → ms of last use), sizes (id → chars), sequence. ARGV: key prefix, id, json, chars, ttl ms, max, max chars.
const PUT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix, id, ttl = ARGV[1], ARGV[2], tonumber(ARGV[5])
redis.call('SET', prefix .. id, ARGV[3], 'PX', ttl)
-- Last use in ms, with a sequence fraction so two saves in one millisecond keep their order.
local seq = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], now + (seq % 1000) / 1000, id)
redis.call('HSET', KEYS[2], id, ARGV[4])
for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - ttl)) do
  redis.call('ZREM', KEYS[1], old)
  redis.call('HDEL', KEYS[2], old)
end
local total = 0
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do total = total + tonumber(v) end
local max, maxChars = tonumber(ARGV[6]), tonumber(ARGV[7])
while redis.call('ZCARD', KEYS[1]) > 1 and (redis.call('ZCARD', KEYS[1]) > max or total > maxChars) do
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if oldest == id then oldest = redis.call('ZRANGE', KEYS[1], 1, 1)[1] end
  total = total - tonumber(redis.call('HGET', KEYS[2], oldest) or '0')
  redis.call('ZREM', KEYS[1], oldest)
  redis.call('HDEL', KEYS[2], oldest)
  redis.call('DEL', prefix .. oldest)
end
return 1`;

export class RedisConversations implements ConversationBackend {
  private readonly keyPrefix: string;
  private readonly index: string;
  private readonly sizes: string;
  private readonly sequence: string;

  constructor(
    private readonly link: RedisLink,
    prefix: string,
    private readonly where: string,
    private readonly limits: ConversationLimits,
  ) {
    this.keyPrefix = `${prefix}:conv:`;
    this.index = `${prefix}:conv-index`;
    this.sizes = `${prefix}:conv-sizes`;
    this.sequence = `${prefix}:conv-seq`;
  }

  async get(id: string): Promise<StoredConversation | undefined> {
    const json = await this.link.client.get(this.keyPrefix + id).catch((e: Error) => {
      throw this.unavailable(`conversation "${id}" cannot be continued`, e);
    });
    return json ? (JSON.parse(json) as StoredConversation) : undefined;
  }

  async put(c: StoredConversation): Promise<void> {
    const args = [this.keyPrefix, c.id, JSON.stringify(c), c.chars, this.limits.ttlMs];
    await this.link.client
      .eval(
        PUT,
        3,
        this.index,
        this.sizes,
        this.sequence,
        ...args,
        this.limits.max,
        this.limits.maxTotalChars,
      )
      .catch((e: Error) => {
        throw this.unavailable("this conversation could not be saved", e);
      });
  }

  private unavailable(what: string, cause: Error): StoreUnavailableError {
    return new StoreUnavailableError(
      `The shared state store (Redis at ${this.where}) is unreachable (${cause.message}), so ${what}: retry shortly, or omit conversation_id to start a new conversation.`,
      { cause },
    );
  }
}
