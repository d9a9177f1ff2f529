// Usage counters summed over every replica: a hash per model in Redis, added to with HINCRBY (fire
// and forget: a lost increment is logged, never fails a call). While Redis is down glm://usage shows
// this process's own counters and says so.
import type { Logger } from "../log.js";
import { emptyUsage, MemoryUsage } from "./memory.js";
import type { RedisLink } from "./redis-connection.js";
import type { ModelUsage, UsageBackend, UsageDelta } from "./types.js";

export class RedisUsage implements UsageBackend {
  /** This process's own counters, shown when Redis cannot be read. */
  readonly local = new MemoryUsage();
  private readonly models: string;
  private readonly since: string;
  private warned = false;

  constructor(
    private readonly link: RedisLink,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.models = `${prefix}:usage-models`;
    this.since = `${prefix}:usage-since`;
    link.client.set(this.since, this.local.since, "NX").catch(() => {});
  }

  add(model: string, delta: UsageDelta): void {
    this.local.add(model, delta);
    const m = this.link.client.multi().sadd(this.models, model).setnx(this.since, this.local.since);
    for (const [k, v] of Object.entries(delta)) if (v) m.hincrby(`${this.prefix}:usage:${model}`, k, v);
    m.exec().then(
      () => (this.warned = false),
      (e: Error) => {
        if (this.warned) return;
        this.warned = true;
        this.logger.warning(`usage not counted in Redis while it is unreachable: ${e.message}`);
      },
    );
  }

  async read(): Promise<{ since: string; models: Record<string, ModelUsage>; scope?: string }> {
    const names = await this.link.client.smembers(this.models);
    const since = (await this.link.client.get(this.since)) ?? this.local.since;
    const models: Record<string, ModelUsage> = {};
    for (const name of names) {
      const h = await this.link.client.hgetall(`${this.prefix}:usage:${name}`);
      const e = (models[name] = emptyUsage());
      for (const k of Object.keys(e) as (keyof ModelUsage)[]) e[k] = Number(h[k] ?? 0);
    }
    return { since, models };
  }
}
