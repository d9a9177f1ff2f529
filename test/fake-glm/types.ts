// Public types of the fake GLM upstream (see index.ts). Other tests code against these names.
import type { FakeModel } from "./models.js";

/** Token usage exactly as GLM sends it (REFERENCE §2). */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when the body was empty or not JSON. */
  body: any;
  rawBody: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** True when the client closed the connection before the response finished. */
  aborted: boolean;
}

export type Fault =
  /** Error JSON body {"error":{"code","message"}} with that HTTP status (code defaults from the status). */
  | {
      kind: "status";
      status: number;
      code?: string;
      message?: string;
      retryAfter?: string;
      retryAfterMs?: string;
    }
  /** Destroy the socket before sending headers. */
  | { kind: "reset" }
  /** A gateway's HTML 404 page (not JSON), as a wrong base URL or plan path gets. */
  | { kind: "html-404" }
  /** Accept, never answer (until the client aborts or the fake closes). */
  | { kind: "hang" }
  /** 200 with a non-JSON body (stream requests: an SSE data line that is not JSON). */
  | { kind: "malformed-json" }
  /** SSE: send N chunks then destroy the socket (no [DONE]). Non-stream: half a JSON body, then destroy. */
  | { kind: "stream-cut"; afterChunks: number }
  /** SSE: N chunks then `data: {"error":{...}}`. Non-stream: the error JSON with the code's HTTP status. */
  | { kind: "stream-error"; afterChunks: number; code: string; message?: string }
  /** Answer normally but with finish_reason "sensitive" (+ content_filter). Embeddings: 400 code 1301. */
  | { kind: "sensitive" }
  /** SSE chunks trickle with this delay (non-stream: the answer waits this long once). */
  | { kind: "slow"; chunkDelayMs: number };

export interface ScriptedToolCall {
  id?: string;
  type?: "function";
  function: { name: string; arguments: string };
}

export interface ScriptedAnswer {
  content?: string;
  reasoning_content?: string;
  finish_reason?: string;
  usage?: Partial<Usage>;
  /** glm-4-voice only: override the audio reply (data = base64 WAV). `false` = send no audio. */
  audio?: { id?: string; data?: string; expires_at?: number } | false;
  /** Tool calls for the assistant message (finish_reason defaults to "tool_calls", content to null). */
  tool_calls?: ScriptedToolCall[];
  /**
   * Send `message.content` / each `delta.content` as an array of `{type:"text", text}` parts, the
   * "多模态回复内容，适用于GLM-4V系列模型" shape of the openapi chat response.
   */
  content_parts?: boolean;
  /**
   * Wrap the answer in `<answer>…</answer>` as GLM-4.1V-Thinking does (its reasoning comes in
   * reasoning_content; the visible content carries the tags).
   */
  answer_tags?: boolean;
  /**
   * glm-4-voice streaming: how the reply audio is cut into `delta.audio.data` pieces.
   * - "wav-per-chunk": `chunks` separate WAV files of `chunkMs` each, every one with its own RIFF
   *   header (the platform's streaming sample writes each chunk to its own .wav file).
   * - "split-header": one WAV whose 44-byte header is cut inside the first piece boundary.
   * The non-stream answer carries one WAV with all the audio. Default: one WAV in 3 pieces.
   */
  audio_stream?: { mode: "wav-per-chunk" | "split-header"; chunks?: number; chunkMs?: number };
}

/** An answer computed from the request body (e.g. a scripted agent that reads its tool results). */
export type ScriptedTurn = (body: Record<string, unknown>) => ScriptedAnswer;

export interface FakeGlm {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + "/api/paas/v4" (the same routes are also served under /api/coding/paas/v4). */
  baseUrl: string;
  apiKey: string;
  /** Every request, in arrival order (including rejected ones). */
  requests: RecordedRequest[];
  /** Queue a fault for the next `times` (default 1) requests whose path ends with `path` (default any). */
  fail(fault: Fault, opts?: { times?: number; path?: string }): void;
  /** Queue the answer content (or a function of the request) for the next chat completion(s); times may be Infinity. */
  answer(a: ScriptedAnswer | ScriptedTurn, opts?: { times?: number }): void;
  /** Latency before headers for every request (ms). */
  setLatency(ms: number | (() => number)): void;
  /** Chunk delay for SSE streams (ms). */
  setChunkDelay(ms: number): void;
  /** Clears recorded requests, queued faults/answers, latency (back to the start options). */
  reset(): void;
  /** Requests whose response has not ended yet (neither finished nor closed). */
  readonly openRequests: number;
  /** Stops the server and destroys open sockets so tests never hang. */
  close(): Promise<void>;
}

export interface StartOptions {
  apiKey?: string;
  latencyMs?: number;
  /**
   * Count latencyMs from the request's arrival, the fake's own work (validation, vectors, JSON)
   * inside it, as an upstream that answers in exactly latencyMs would. Default: the work comes
   * after the wait. Benchmarks set it so the latency floor they print is the fake's real one.
   */
  latencyIncludesWork?: boolean;
  chunkDelayMs?: number;
  port?: number;
  /**
   * Models this platform serves beyond the fake's catalog (models.ts): a platform newer than
   * glm-mcp's catalog, for tests of names the catalog does not know.
   */
  models?: Record<string, FakeModel>;
}
