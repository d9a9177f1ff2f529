// Multi-turn memory for tools that continue a conversation (glm_reason, voice_reply), kept in the
// state store (this process's memory, or Redis shared by replicas). Each conversation is trimmed to
// `maxChars` by whole turns; the store bounds the count, the total size and the age.
import { randomUUID } from "node:crypto";
import type { ChatMessage } from "../glm/types.js";
import { ToolInputError } from "../errors.js";
import { MemoryConversations } from "../store/memory.js";
import { StoreUnavailableError, type ConversationBackend, type StoredConversation } from "../store/types.js";

export type Conversation = StoredConversation;

export class ConversationStore {
  constructor(
    private readonly backend: ConversationBackend = new MemoryConversations(),
    private readonly maxChars = 400_000,
    /** Where conversations live, for the unknown-conversation message. */
    private readonly where = "this server process only",
  ) {}

  /** The conversation if it exists, belongs to `tool` and has not expired. */
  async get(id: string, tool: string): Promise<Conversation | undefined> {
    const c = await this.backend.get(id);
    return c && c.tool === tool ? c : undefined;
  }

  /**
   * The conversation a call continues: undefined when no id is given, else the stored one, or a
   * ToolInputError the agent can act on when it is unknown or expired.
   */
  async resume(id: string | undefined, tool: string): Promise<Conversation | undefined> {
    if (id === undefined) return undefined;
    const found = await this.get(id, tool);
    if (!found)
      throw new ToolInputError(
        `Unknown or expired conversation_id "${id}": omit conversation_id to start a new conversation (conversations live in ${this.where}).`,
      );
    return found;
  }

  /** Stores the full message list for `id` (a new id when undefined) and returns the id. */
  async save(id: string | undefined, tool: string, model: string, messages: ChatMessage[]): Promise<string> {
    const key = id ?? randomUUID();
    const kept = trimToChars(messages, this.maxChars);
    const chars = kept.reduce((n, m) => n + size(m), 0);
    await this.backend.put({ id: key, tool, model, messages: kept, updatedAt: Date.now(), chars });
    return key;
  }

  /**
   * Saves after an answer: the answer is paid for, so a store that cannot be reached costs only the
   * follow-up (a note instead of a conversation_id), never the answer itself.
   */
  async keep(
    id: string | undefined,
    tool: string,
    model: string,
    messages: ChatMessage[],
  ): Promise<{ id?: string; note?: string }> {
    try {
      return { id: await this.save(id, tool, model, messages) };
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      return {
        note: `This turn could not be kept for a follow-up, so there is no conversation_id this time: ${err.message}`,
      };
    }
  }
}

function size(m: ChatMessage): number {
  // JSON length counts parts' base64 (input_audio, images) as well as text.
  const content = typeof m.content === "string" ? m.content.length : JSON.stringify(m.content ?? "").length;
  return content + (m.reasoning_content?.length ?? 0);
}

/**
 * Drops the oldest whole turns (a user message and everything up to the next one: assistant
 * answers, tool calls and their results), keeping a leading system message and the last turn, until
 * under maxChars. Never cutting inside a turn keeps every tool result beside the call it answers
 * (GLM refuses a tool message whose call is missing with 1214).
 */
export function trimToChars(messages: ChatMessage[], maxChars: number): ChatMessage[] {
  const out = [...messages];
  const first = out[0]?.role === "system" ? 1 : 0;
  let total = out.reduce((n, m) => n + size(m), 0);
  while (total > maxChars) {
    const next = out.findIndex((m, i) => i > first && m.role === "user");
    if (next < 0) break; // only the last turn is left
    const removed = out.splice(first, next - first);
    total -= removed.reduce((n, m) => n + size(m), 0);
  }
  return out;
}
