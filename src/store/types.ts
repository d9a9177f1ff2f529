// What replicas of one deployment share: conversations, usage counters, the GLM concurrency budget
// and cancellations. Two implementations: this process's memory (the default) and Redis.
import type { ChatMessage } from "../glm/types.js";

/** A stored conversation: the messages a follow-up call continues. */
export interface StoredConversation {
  id: string;
  tool: string;
  model: string;
  messages: ChatMessage[];
  updatedAt: number;
  /** Characters held (content + reasoning + audio), for the store's total budget. */
  chars: number;
}

export interface ConversationBackend {
  /** The conversation, unless unknown or expired (ownership is checked by the caller). */
  get(id: string): Promise<StoredConversation | undefined>;
  /** Stores it as most recently used, evicting the least recently used others over the budget. */
  put(conversation: StoredConversation): Promise<void>;
}

/** Per-model counters, as glm://usage shows them. */
export interface ModelUsage {
  calls: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens: number;
}

export type UsageDelta = Partial<ModelUsage>;

export interface UsageBackend {
  /** A shared backend's copy of this process's own counters, shown when the shared ones can't be read. */
  readonly local?: UsageBackend;
  /** Adds to the counters of `model`; never throws (a lost increment is logged, not fatal). */
  add(model: string, delta: UsageDelta): void;
  /** Counters of every model, and since when they count. */
  read(): Promise<{ since: string; models: Record<string, ModelUsage> }>;
}

/** The GLM concurrency budget: a slot per request in flight (GLM limits concurrency per account). */
export interface ConcurrencyGate {
  readonly max: number;
  readonly inFlight: number;
  readonly queued: number;
  acquire(signal?: AbortSignal): Promise<void>;
  release(): void;
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** A `notifications/cancelled` that reached a replica not running the call, for the one that is. */
export interface CancelBus {
  publish(caller: string, id: string | number): void;
  subscribe(handler: (caller: string, id: string | number) => void): void;
}

export interface StateStore {
  readonly kind: "memory" | "redis";
  /** Where it lives, for logs and doctor (a Redis URL with its password masked). */
  readonly where: string;
  readonly conversations: ConversationBackend;
  readonly usage: UsageBackend;
  readonly gate: ConcurrencyGate;
  readonly cancels: CancelBus;
  /** Whether the store answers now (always true in memory). */
  readonly healthy: boolean;
  close(): Promise<void>;
}

/** The shared store cannot be reached: calls that need it say so; calls that don't keep working. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}
