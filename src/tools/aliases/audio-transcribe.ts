// audio_transcribe's other argument names (OpenAI's transcriptions API, ASR libraries).
import type { AliasTable } from "./normalize.js";
import { AUDIO_NAMES } from "./common.js";

export const audioTranscribeAliases: AliasTable = {
  names: {
    ...AUDIO_NAMES,
    audio_base64: "audio",
    file_base64: "audio",
    context: "prompt",
    previous_text: "prompt",
    previous_transcript: "prompt",
    hot_words: "hotwords",
    keywords: "hotwords",
    vocabulary: "hotwords",
    terms: "hotwords",
    model_name: "model",
  },
  sources: ["audio"],
};
