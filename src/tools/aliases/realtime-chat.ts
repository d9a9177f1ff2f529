// realtime_chat's other argument names.
import type { AliasTable } from "./normalize.js";
import { AUDIO_NAMES, SPOKEN_TEXT_NAMES } from "./common.js";

export const realtimeChatAliases: AliasTable = {
  names: {
    ...SPOKEN_TEXT_NAMES,
    ...AUDIO_NAMES,
    persona: "instructions",
    voice_name: "voice",
    speaker: "voice",
    model_name: "model",
    web_search: "auto_search",
    search: "auto_search",
    enable_search: "auto_search",
  },
  sources: ["audio"],
};
