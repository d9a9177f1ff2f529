// The other names and shapes agents write for each tool's arguments, in one table per tool.
// tools/list shows only the canonical names; these are accepted on tools/call and mapped onto them
// before validation (see normalize-args.ts). README's "Other argument names" section mirrors this.

export interface AliasTable {
  /** Other name → canonical argument name. */
  readonly names: Readonly<Record<string, string>>;
  /** Canonical string arguments that also take a list of strings, joined with ", ". */
  readonly joinLists?: readonly string[];
  /** Canonical single-value arguments whose list form belongs to another argument (image → images). */
  readonly listGoesTo?: Readonly<Record<string, string>>;
  /** Accepts OpenAI-style `messages` (system + user turns) in place of system and prompt. */
  readonly messages?: { readonly prompt: string; readonly system: string };
}

const VISION_COMMON = { question: "prompt", query: "prompt", instruction: "prompt" } as const;

export const TOOL_ALIASES: Readonly<Record<string, AliasTable>> = {
  glm_reason: {
    names: {
      question: "prompt",
      query: "prompt",
      task: "prompt",
      input: "prompt",
      text: "prompt",
      system_prompt: "system",
      system_message: "system",
      instructions: "system",
      reasoning: "thinking",
      max_output_tokens: "max_tokens",
      max_completion_tokens: "max_tokens",
      file: "files",
      path: "files",
      paths: "files",
      file_paths: "files",
    },
    messages: { prompt: "prompt", system: "system" },
  },
  embed_text: {
    names: {
      text: "texts",
      input: "texts",
      inputs: "texts",
      documents: "texts",
      topK: "top_k",
      topk: "top_k",
      k: "top_k",
      top_n: "top_k",
      dimension: "dimensions",
    },
  },
  vision_analyze: {
    names: {
      image_path: "image",
      image_url: "image",
      path: "image",
      file: "image",
      url: "image",
      image_paths: "images",
      image_urls: "images",
      paths: "images",
      ...VISION_COMMON,
      max_output_tokens: "max_tokens",
    },
    listGoesTo: { image: "images" },
  },
  vision_locate: {
    names: {
      image_path: "image",
      image_url: "image",
      path: "image",
      file: "image",
      url: "image",
      target: "targets",
      objects: "targets",
      labels: "targets",
      query: "targets",
      prompt: "targets",
      max_output_tokens: "max_tokens",
    },
    joinLists: ["targets"],
  },
  video_understand: {
    names: {
      video_url: "video",
      video_path: "video",
      url: "video",
      path: "video",
      file: "video",
      ...VISION_COMMON,
      max_output_tokens: "max_tokens",
    },
  },
  document_analyze: {
    names: {
      file: "files",
      documents: "files",
      document: "files",
      paths: "files",
      path: "files",
      urls: "files",
      url: "files",
      file_path: "files",
      file_paths: "files",
      ...VISION_COMMON,
      max_output_tokens: "max_tokens",
    },
  },
  voice_reply: {
    names: {
      audio_path: "audio",
      audio_url: "audio",
      file: "audio",
      prompt: "text",
      message: "text",
      system: "instructions",
      system_prompt: "instructions",
    },
  },
  realtime_chat: {
    names: {
      audio_path: "audio",
      audio_url: "audio",
      file: "audio",
      prompt: "text",
      message: "text",
      system: "instructions",
      system_prompt: "instructions",
    },
  },
};

const NONE: AliasTable = { names: {} };

export function aliasesOf(tool: string): AliasTable {
  return TOOL_ALIASES[tool] ?? NONE;
}
