// sharp, loaded on first use: its native library costs ~0.2 s at start-up, and most calls (text
// reasoning, embeddings, audio) never touch an image.
import { createRequire } from "node:module";
import type SharpModule from "sharp";

type SharpFn = typeof SharpModule;
const require = createRequire(import.meta.url);
let loaded: SharpFn | undefined;

export const sharp = ((...args: Parameters<SharpFn>) => {
  loaded ??= require("sharp") as SharpFn;
  return loaded(...args);
}) as SharpFn;
