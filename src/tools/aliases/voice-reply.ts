// voice_reply's other argument names.
import type { AliasTable } from "./normalize.js";
import { AUDIO_NAMES, SPOKEN_TEXT_NAMES } from "./common.js";

export const voiceReplyAliases: AliasTable = {
  names: {
    ...SPOKEN_TEXT_NAMES,
    ...AUDIO_NAMES,
    max_output_tokens: "max_tokens",
    max_completion_tokens: "max_tokens",
    thread_id: "conversation_id",
    session_id: "conversation_id",
  },
  sources: ["audio"],
};
