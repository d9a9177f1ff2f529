// The GLM concurrency budget shared by every replica: a fair (first come, first served) semaphore in
// Redis whose slots are leases, renewed while held, so a replica that crashes frees its slots after
// the lease instead of leaking them. Waiters queue with tickets and wake on every release (pub/sub),
// with a short poll as backstop. When Redis cannot be reached the gate falls back to this process's
// own limiter, so calls keep working, with the budget per process until Redis returns.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { Limiter } from "../glm/limiter.js";
import type { Logger } from "../log.js";
import type { RedisLink } from "./redis-connection.js";
import type { ConcurrencyGate } from "./types.js";

// KEYS: holders (token → lease end), queue (token → ticket), alive (waiter → liveness end), ticket counter.
// ARGV: token, limit, lease ms. Time is Redis's own, so replicas' clocks do not matter.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local dead = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, w in ipairs(dead) do
  redis.call('ZREM', KEYS[2], w)
  redis.call('ZREM', KEYS[3], w)
end
local token, limit, lease = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if not redis.call('ZSCORE', KEYS[2], token) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), token)
end
redis.call('ZADD', KEYS[3], now + lease, token)
local rank = redis.call('ZRANK', KEYS[2], token)
if rank < limit - redis.call('ZCARD', KEYS[1]) then
  redis.call('ZREM', KEYS[2], token)
  redis.call('ZREM', KEYS[3], token)
  redis.call('ZADD', KEYS[1], now + lease, token)
  return 1
end
return 0`;

// KEYS: holders. ARGV: lease ms, tokens… Extends the leases still held (an expired one stays gone).
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = 0
for i = 2, #ARGV do
  n = n + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i])
end
return n`;

type Held = { redis: true; token: string } | { redis: false };

export class RedisGate implements ConcurrencyGate {
  private readonly local: Limiter;
  private readonly held: Held[] = [];
  private waiting = 0;
  private readonly wake = new EventEmitter();
  private renewTimer: NodeJS.Timeout | undefined;
  private fallbackLogged = false;
  private readonly keys: string[];
  private readonly channel: string;

  constructor(
    private readonly link: RedisLink,
    prefix: string,
    readonly max: number,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {
    this.local = new Limiter(max);
    this.keys = ["holders", "queue", "alive", "tickets"].map((k) => `${prefix}:gate:${k}`);
    this.channel = `${prefix}:gate:released`;
    this.wake.setMaxListeners(0);
    link.subscriber.subscribe(this.channel).catch(() => {});
    link.subscriber.on("message", (channel: string) => {
      if (channel === this.channel) this.wake.emit("released");
    });
  }

  get inFlight(): number {
    return this.held.length;
  }

  get queued(): number {
    return this.waiting;
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    const token = randomUUID();
    this.waiting++;
    try {
      for (;;) {
        if (signal?.aborted) {
          this.forget(token);
          throw signal.reason;
        }
        let got: number;
        try {
          got = (await this.link.client.eval(
            ACQUIRE,
            4,
            ...this.keys,
            token,
            this.max,
            this.leaseMs,
          )) as number;
        } catch (err) {
          return await this.fallBack(err, token, signal);
        }
        this.fallbackLogged = false;
        if (got === 1) {
          this.held.push({ redis: true, token });
          this.startRenewing();
          return;
        }
        await this.nextTurn(signal, token);
      }
    } finally {
      this.waiting--;
    }
  }

  release(): void {
    const slot = this.held.pop();
    if (!slot) return;
    if (!slot.redis) return this.local.release();
    if (!this.held.some((h) => h.redis)) this.stopRenewing();
    // If this fails the lease expires on its own; waiters are also polling.
    this.link.client
      .multi()
      .zrem(this.keys[0]!, slot.token)
      .publish(this.channel, "1")
      .exec()
      .catch(() => {});
  }

  /** Waits for a release anywhere in the cluster, a poll tick (which keeps this waiter alive) or abort. */
  private nextTurn(signal: AbortSignal | undefined, token: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.wake.off("released", woken);
        signal?.removeEventListener("abort", aborted);
      };
      const woken = () => {
        cleanup();
        resolve();
      };
      const aborted = () => {
        cleanup();
        this.forget(token);
        reject(signal!.reason);
      };
      const timer = setTimeout(woken, Math.min(250, this.leaseMs / 3));
      this.wake.once("released", woken);
      signal?.addEventListener("abort", aborted, { once: true });
    });
  }

  private forget(token: string): void {
    this.link.client
      .multi()
      .zrem(this.keys[1]!, token)
      .zrem(this.keys[2]!, token)
      .exec()
      .catch(() => {});
  }

  private async fallBack(err: unknown, token: string, signal?: AbortSignal): Promise<void> {
    if (!this.fallbackLogged) {
      this.fallbackLogged = true;
      this.logger.warning(
        `GLM concurrency budget is per process until Redis returns (${(err as Error).message})`,
      );
    }
    this.forget(token);
    await this.local.acquire(signal);
    this.held.push({ redis: false });
  }

  private startRenewing(): void {
    if (this.renewTimer) return;
    this.renewTimer = setInterval(() => {
      const tokens = this.held.flatMap((h) => (h.redis ? [h.token] : []));
      if (tokens.length === 0) return this.stopRenewing();
      this.link.client.eval(RENEW, 1, this.keys[0]!, this.leaseMs, ...tokens).catch(() => {});
    }, this.leaseMs / 3);
    this.renewTimer.unref();
  }

  private stopRenewing(): void {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
  }

  /** Stops renewing (leases then expire) — what a crashed replica looks like to the others. */
  abandon(): void {
    this.stopRenewing();
  }
}
