// Wire types for the GLM REST API: the chat and embeddings schemas of the vendored spec
// (test/fake-glm/spec/openapi-2026-07-11.json; sources legend in src/glm/models.ts).

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } }
  | { type: "video_url"; video_url: { url: string } }
  | { type: "file_url"; file_url: { url: string } }
  | { type: "input_audio"; input_audio: { data: string; format: "wav" | "mp3" } };

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | ContentPart[] | null;
  reasoning_content?: string;
  audio?: { id: string };
  tool_call_id?: string;
  tool_calls?: ToolCall[];
}

// Function calling (REFERENCE §2: assistant `tool_calls[{id,type,function{name,arguments:string}}]`,
// `tool` messages with `tool_call_id`; openapi FunctionToolSchema / FunctionObject).
export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface FunctionTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** A streamed piece of a tool call: `index` says which call; id/name come first, arguments in pieces. */
export interface ToolCallDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  thinking?: { type: "enabled" | "disabled"; clear_thinking?: boolean };
  response_format?: { type: "text" | "json_object" };
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  do_sample?: boolean;
  stop?: string[];
  request_id?: string;
  [key: string]: unknown;
}

/** Answer text: a string, or (GLM-4V series) an array of text parts. */
export type MessageContent = string | { type: string; text?: string }[];

export interface AudioOut {
  id: string;
  data: string;
  expires_at?: string | number;
}

export interface ChatCompletion {
  id: string;
  request_id?: string;
  created: number;
  model: string;
  choices: {
    index: number;
    finish_reason: string;
    message: {
      role: "assistant";
      content: MessageContent | null;
      reasoning_content?: string;
      audio?: AudioOut;
    };
  }[];
  usage?: Usage;
}

export interface ChatChunk {
  id?: string;
  created?: number;
  model?: string;
  choices?: {
    index: number;
    delta?: {
      role?: string;
      content?: MessageContent | null;
      reasoning_content?: MessageContent | null;
      audio?: AudioOut;
      tool_calls?: ToolCallDelta[];
    };
    finish_reason?: string | null;
  }[];
  usage?: Usage;
  content_filter?: { role: string; level: number }[];
}

export interface EmbeddingRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
}

export interface EmbeddingResponse {
  model: string;
  object: "list";
  data: { index: number; object: "embedding"; embedding: number[] }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}
