// Multi-turn memory for tools that continue a conversation (glm_reason, voice_reply).
// Bounded: at most `maxConversations` (least recently used evicted), each trimmed to `maxChars`, and
// all together under `maxTotalChars` (voice turns carry base64 audio, megabytes each).
import { randomUUID } from "node:crypto";
import type { ChatMessage } from "../glm/types.js";
import { ToolInputError } from "../errors.js";

export interface Conversation {
  id: string;
  tool: string;
  model: string;
  messages: ChatMessage[];
  updatedAt: number;
  /** Characters held (content + reasoning + audio), for the store's total budget. */
  chars: number;
}

export class ConversationStore {
  private readonly items = new Map<string, Conversation>();
  private totalChars = 0;

  constructor(
    private readonly maxConversations = 200,
    private readonly maxChars = 400_000,
    private readonly ttlMs = 6 * 60 * 60 * 1000,
    private readonly maxTotalChars = 64 * 1024 * 1024,
  ) {}

  /** Characters held by all conversations together. */
  get chars(): number {
    return this.totalChars;
  }

  get size(): number {
    return this.items.size;
  }

  /** The conversation if it exists, belongs to `tool` and has not expired. */
  get(id: string, tool: string): Conversation | undefined {
    const c = this.items.get(id);
    if (!c || c.tool !== tool) return undefined;
    if (Date.now() - c.updatedAt > this.ttlMs) {
      this.remove(id);
      return undefined;
    }
    return c;
  }

  /**
   * The conversation a call continues: undefined when no id is given, else the stored one, or a
   * ToolInputError the agent can act on when it is unknown or expired.
   */
  resume(id: string | undefined, tool: string): Conversation | undefined {
    if (id === undefined) return undefined;
    const found = this.get(id, tool);
    if (!found)
      throw new ToolInputError(
        `Unknown or expired conversation_id "${id}": omit conversation_id to start a new conversation (conversations live in this server process only).`,
      );
    return found;
  }

  /** Stores the full message list for `id` (a new id when undefined) and returns the id. */
  save(id: string | undefined, tool: string, model: string, messages: ChatMessage[]): string {
    const key = id ?? randomUUID();
    this.remove(key); // re-insert to mark as most recently used
    const kept = trimToChars(messages, this.maxChars);
    const chars = kept.reduce((n, m) => n + size(m), 0);
    this.items.set(key, { id: key, tool, model, messages: kept, updatedAt: Date.now(), chars });
    this.totalChars += chars;
    // Evict least recently used conversations, but never the one just saved: its next turn needs it.
    while (
      this.items.size > 1 &&
      (this.items.size > this.maxConversations || this.totalChars > this.maxTotalChars)
    ) {
      this.remove(this.items.keys().next().value as string);
    }
    return key;
  }

  private remove(id: string): void {
    const c = this.items.get(id);
    if (!c) return;
    this.totalChars -= c.chars;
    this.items.delete(id);
  }
}

function size(m: ChatMessage): number {
  // JSON length counts parts' base64 (input_audio, images) as well as text.
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
