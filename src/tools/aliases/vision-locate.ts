// vision_locate's other argument names; a list of targets is one comma-separated description.
import type { AliasTable } from "./normalize.js";
import { GENERATION_NAMES, IMAGE_NAMES } from "./common.js";

export const visionLocateAliases: AliasTable = {
  names: {
    ...GENERATION_NAMES,
    ...IMAGE_NAMES,
    images: "image",
    target: "targets",
    objects: "targets",
    object: "targets",
    labels: "targets",
    label: "targets",
    find: "targets",
    query: "targets",
    prompt: "targets",
    question: "targets",
    text: "targets",
    what: "targets",
    draw: "annotate",
    draw_boxes: "annotate",
    annotated: "annotate",
    crop: "region",
    area: "region",
  },
  joinLists: { targets: ", " },
  sources: ["image"],
};
