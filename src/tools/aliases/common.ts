// Other names several tools share, so each tool's table reads as what is particular to it.

/** What agents call the question or instruction of a vision/document/video call. */
export const PROMPT_NAMES = {
  question: "prompt",
  query: "prompt",
  task: "prompt",
  text: "prompt",
  instruction: "prompt",
  instructions: "prompt",
  message: "prompt",
  user_prompt: "prompt",
} as const;

/** Generation settings named as other APIs name them. */
export const GENERATION_NAMES = {
  max_output_tokens: "max_tokens",
  max_completion_tokens: "max_tokens",
  max_new_tokens: "max_tokens",
  enable_thinking: "thinking",
  reasoning: "thinking",
  model_name: "model",
} as const;

/** Asking for the model's reasoning text by another name. */
export const REASONING_NAMES = {
  show_reasoning: "include_reasoning",
  return_reasoning: "include_reasoning",
  include_thinking: "include_reasoning",
} as const;

/** One image by another name. */
export const IMAGE_NAMES = {
  image_path: "image",
  image_url: "image",
  image_file: "image",
  image_base64: "image",
  img: "image",
  path: "image",
  file: "image",
  file_path: "image",
  url: "image",
  src: "image",
  source: "image",
  screenshot: "image",
  photo: "image",
  picture: "image",
} as const;

/** What agents call a recording to be heard. */
export const AUDIO_NAMES = {
  audio_path: "audio",
  audio_file: "audio",
  audio_url: "audio",
  input_audio: "audio",
  recording: "audio",
  speech: "audio",
  file: "audio",
  file_path: "audio",
  path: "audio",
  url: "audio",
} as const;

/** What agents call the text said to a voice model. */
export const SPOKEN_TEXT_NAMES = {
  prompt: "text",
  message: "text",
  input: "text",
  query: "text",
  question: "text",
  content: "text",
  say: "text",
  system: "instructions",
  system_prompt: "instructions",
  style: "instructions",
  include_audio: "inline_audio",
  return_audio: "inline_audio",
} as const;
