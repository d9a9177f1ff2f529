// Tokens and calls per model (served as the glm://usage resource), counted in the state store: this
// process's own, or summed over every replica through Redis.
import type { Usage } from "../glm/types.js";
import { MemoryUsage } from "../store/memory.js";
import type { ModelUsage, UsageBackend } from "../store/types.js";

export type { ModelUsage };

export interface UsageSnapshot {
  since: string;
  /** "process": this server process; "cluster": every replica sharing the Redis store. */
  scope: "process" | "cluster";
  models: Record<string, ModelUsage>;
  note?: string;
}

export class UsageTracker {
  constructor(
    private readonly backend: UsageBackend = new MemoryUsage(),
    private readonly shared = false,
    /** This process's own counters, shown when the shared ones cannot be read. */
    private readonly local?: UsageBackend,
  ) {}

  record(model: string, usage: Partial<Usage> | undefined): void {
    this.backend.add(model, {
      calls: 1,
      prompt_tokens: usage?.prompt_tokens ?? 0,
      completion_tokens: usage?.completion_tokens ?? 0,
      total_tokens: usage?.total_tokens ?? 0,
      cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    });
  }

  recordError(model: string): void {
    this.backend.add(model, { errors: 1 });
  }

  async snapshot(): Promise<UsageSnapshot> {
    if (!this.shared) return { ...(await this.backend.read()), scope: "process" };
    try {
      return { ...(await this.backend.read()), scope: "cluster" };
    } catch (err) {
      const own = await (this.local ?? this.backend).read();
      return {
        ...own,
        scope: "process",
        note: `The shared store is unreachable (${(err as Error).message}): these are this replica's own counts.`,
      };
    }
  }
}
