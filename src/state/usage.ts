// Tokens and calls per model since start (served as the glm://usage resource).
import type { Usage } from "../glm/types.js";

export interface ModelUsage {
  calls: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens: number;
}

export class UsageTracker {
  readonly startedAt = new Date().toISOString();
  private readonly byModel = new Map<string, ModelUsage>();

  private entry(model: string): ModelUsage {
    let e = this.byModel.get(model);
    if (!e) {
      e = { calls: 0, errors: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cached_tokens: 0 };
      this.byModel.set(model, e);
    }
    return e;
  }

  record(model: string, usage: Partial<Usage> | undefined): void {
    const e = this.entry(model);
    e.calls++;
    e.prompt_tokens += usage?.prompt_tokens ?? 0;
    e.completion_tokens += usage?.completion_tokens ?? 0;
    e.total_tokens += usage?.total_tokens ?? 0;
    e.cached_tokens += usage?.prompt_tokens_details?.cached_tokens ?? 0;
  }

  recordError(model: string): void {
    this.entry(model).errors++;
  }

  snapshot(): { since: string; models: Record<string, ModelUsage> } {
    return {
      since: this.startedAt,
      models: Object.fromEntries([...this.byModel].map(([k, v]) => [k, { ...v }])),
    };
  }
}
