// Multi-turn memory for tools that continue a conversation (glm_reason, voice_reply).
// Bounded: at most `maxConversations` (least recently used evicted), each trimmed to `maxChars`.
import { randomUUID } from "node:crypto";
import type { ChatMessage } from "./glm/types.js";

export interface Conversation {
  id: string;
  tool: string;
  model: string;
  messages: ChatMessage[];
  updatedAt: number;
}

export class ConversationStore {
  private readonly items = new Map<string, Conversation>();

  constructor(
    private readonly maxConversations = 200,
    private readonly maxChars = 400_000,
    private readonly ttlMs = 6 * 60 * 60 * 1000,
  ) {}

  get size(): number {
    return this.items.size;
  }

  /** The conversation if it exists, belongs to `tool` and has not expired. */
  get(id: string, tool: string): Conversation | undefined {
    const c = this.items.get(id);
    if (!c || c.tool !== tool) return undefined;
    if (Date.now() - c.updatedAt > this.ttlMs) {
      this.items.delete(id);
      return undefined;
    }
    return c;
  }

  /** Stores the full message list for `id` (a new id when undefined) and returns the id. */
  save(id: string | undefined, tool: string, model: string, messages: ChatMessage[]): string {
    const key = id ?? randomUUID();
    this.items.delete(key); // re-insert to mark as most recently used
    this.items.set(key, { id: key, tool, model, messages: trimToChars(messages, this.maxChars), updatedAt: Date.now() });
    while (this.items.size > this.maxConversations) {
      const oldest = this.items.keys().next().value as string;
      this.items.delete(oldest);
    }
    return key;
  }
}

function size(m: ChatMessage): number {
  const content = typeof m.content === "string" ? m.content.length : JSON.stringify(m.content ?? "").length;
  return content + (m.reasoning_content?.length ?? 0);
}

/** Drops the oldest user/assistant turns (keeping a leading system message) until under maxChars. */
function trimToChars(messages: ChatMessage[], maxChars: number): ChatMessage[] {
  const out = [...messages];
  const first = out[0]?.role === "system" ? 1 : 0;
  let total = out.reduce((n, m) => n + size(m), 0);
  while (total > maxChars && out.length - first > 2) {
    // Remove a whole user+assistant pair so roles keep alternating.
    const removed = out.splice(first, 2);
    total -= removed.reduce((n, m) => n + size(m), 0);
  }
  return out;
}
