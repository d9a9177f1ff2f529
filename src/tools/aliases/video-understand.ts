// video_understand's other argument names.
import type { AliasTable } from "./normalize.js";
import { REASONING_NAMES, GENERATION_NAMES, PROMPT_NAMES } from "./common.js";

export const videoUnderstandAliases: AliasTable = {
  names: {
    ...GENERATION_NAMES,
    ...REASONING_NAMES,
    ...PROMPT_NAMES,
    video_url: "video",
    video_path: "video",
    video_file: "video",
    videos: "video",
    clip: "video",
    path: "video",
    file: "video",
    file_path: "video",
    url: "video",
    src: "video",
    source: "video",
  },
  sources: ["video"],
};
