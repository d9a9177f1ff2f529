// vision_analyze's other argument names: one image, several, and the question about them.
import type { AliasTable } from "./normalize.js";
import { REASONING_NAMES, GENERATION_NAMES, IMAGE_NAMES, PROMPT_NAMES } from "./common.js";

export const visionAnalyzeAliases: AliasTable = {
  names: {
    ...GENERATION_NAMES,
    ...REASONING_NAMES,
    ...PROMPT_NAMES,
    ...IMAGE_NAMES,
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
};
