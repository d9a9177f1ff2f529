// image_generate's other argument names (OpenAI's images API, diffusion UIs).
import type { AliasTable } from "./normalize.js";

export const imageGenerateAliases: AliasTable = {
  names: {
    description: "prompt",
    text: "prompt",
    instruction: "prompt",
    query: "prompt",
    image_prompt: "prompt",
    resolution: "size",
    dimensions: "size",
    image_size: "size",
    aspect: "size",
    watermark_enabled: "watermark",
    add_watermark: "watermark",
    model_name: "model",
  },
};
