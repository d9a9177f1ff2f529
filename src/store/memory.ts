// The embedded store: everything in this process's memory, nothing to install (the default).
import { Limiter } from "../glm/limiter.js";
import type {
  CancelBus,
  ConversationBackend,
  ModelUsage,
  StateStore,
  StoredConversation,
  UsageBackend,
  UsageDelta,
} from "./types.js";

/** Bounds shared by both stores: at most `max` conversations and `maxTotalChars` together. */
export interface ConversationLimits {
  max: number;
  ttlMs: number;
  maxTotalChars: number;
}

export const DEFAULT_CONVERSATION_LIMITS: ConversationLimits = {
  max: 200,
  ttlMs: 6 * 60 * 60 * 1000,
  // Voice turns carry base64 audio, megabytes each.
  maxTotalChars: 64 * 1024 * 1024,
};

export class MemoryConversations implements ConversationBackend {
  private readonly items = new Map<string, StoredConversation>();
  private totalChars = 0;

  constructor(private readonly limits: ConversationLimits = DEFAULT_CONVERSATION_LIMITS) {}

  get chars(): number {
    return this.totalChars;
  }

  get size(): number {
    return this.items.size;
  }

  async get(id: string): Promise<StoredConversation | undefined> {
    const c = this.items.get(id);
    if (!c) return undefined;
    if (Date.now() - c.updatedAt > this.limits.ttlMs) {
      this.remove(id);
      return undefined;
    }
    return c;
  }

  async put(conversation: StoredConversation): Promise<void> {
    this.remove(conversation.id); // re-insert to mark as most recently used
    this.items.set(conversation.id, conversation);
    this.totalChars += conversation.chars;
    // Evict least recently used conversations, but never the one just saved: its next turn needs it.
    while (
      this.items.size > 1 &&
      (this.items.size > this.limits.max || this.totalChars > this.limits.maxTotalChars)
    ) {
      this.remove(this.items.keys().next().value as string);
    }
  }

  private remove(id: string): void {
    const c = this.items.get(id);
    if (!c) return;
    this.totalChars -= c.chars;
    this.items.delete(id);
  }
}

export function emptyUsage(): ModelUsage {
  return { calls: 0, errors: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cached_tokens: 0 };
}

export class MemoryUsage implements UsageBackend {
  readonly since = new Date().toISOString();
  private readonly byModel = new Map<string, ModelUsage>();

  add(model: string, delta: UsageDelta): void {
    let e = this.byModel.get(model);
    if (!e) this.byModel.set(model, (e = emptyUsage()));
    for (const [k, v] of Object.entries(delta) as [keyof ModelUsage, number][]) e[k] += v;
  }

  async read(): Promise<{ since: string; models: Record<string, ModelUsage> }> {
    return {
      since: this.since,
      models: Object.fromEntries([...this.byModel].map(([k, v]) => [k, { ...v }])),
    };
  }
}

/** In one process the call being cancelled is always local: nothing to fan out. */
class LocalCancels implements CancelBus {
  publish(): void {}
  subscribe(): void {}
}

export function memoryStore(maxConcurrency: number): StateStore {
  return {
    kind: "memory",
    where: "this process's memory",
    conversations: new MemoryConversations(),
    usage: new MemoryUsage(),
    gate: new Limiter(maxConcurrency),
    cancels: new LocalCancels(),
    healthy: true,
    close: async () => {},
  };
}
