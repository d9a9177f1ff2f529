// vision_analyze's other argument names: one image, several, and the question about them.
import type { AliasTable } from "./normalize.js";
import { REASONING_NAMES, GENERATION_NAMES, IMAGE_NAMES, PROMPT_NAMES } from "./common.js";
import { VISION_TASK_VALUES } from "../vision-tasks.js";

// `task` is vision_analyze's own argument (the official server's task tools), not a name of `prompt`.
const { task: _task, ...promptNames } = PROMPT_NAMES;

export const visionAnalyzeAliases: AliasTable = {
  names: {
    ...GENERATION_NAMES,
    ...REASONING_NAMES,
    ...promptNames,
    ...IMAGE_NAMES,
    image_source: "image",
    image_paths: "images",
    image_urls: "images",
    paths: "images",
    urls: "images",
    files: "images",
    file_paths: "images",
    sources: "images",
    screenshots: "images",
    crop: "region",
    zoom: "region",
    area: "region",
  },
  listTo: { image: "images" },
  sources: ["image", "images"],
  values: { task: VISION_TASK_VALUES },
  // Calls from before `task` existed sent the question as `task`: it still means `prompt`.
  freeTextTo: { task: "prompt" },
};
