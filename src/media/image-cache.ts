// Prepared images by content: an agent that sends the same screenshot with every question pays for
// decoding, sampling and re-encoding it once. Keyed by a hash of the bytes and the options that
// change the result; bounded by entries and bytes, the least recently used going first.
import { createHash } from "node:crypto";
import type { PrepareOptions, PreparedImage } from "./image.js";

/** A prepared image and its base64 (what GLM is sent), as the intake uses them. */
export interface CachedImage {
  prepared: PreparedImage;
  base64: string;
}

export class ImageCache {
  hits = 0;
  private readonly entries = new Map<string, { value: CachedImage; size: number }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 32,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedImage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key); // most recently used last
    this.entries.set(key, entry);
    this.hits++;
    return copy(entry.value);
  }

  set(key: string, value: CachedImage): void {
    const size = value.prepared.data.length + value.base64.length;
    if (size > this.maxBytes / 4) return; // one huge image would push out everything else
    const old = this.entries.get(key);
    if (old) this.bytes -= old.size;
    this.entries.delete(key);
    this.entries.set(key, { value: copy(value), size });
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.size;
    }
  }
}

/** The key of `bytes` prepared with `opts`: their hash and every option that changes the result. */
export function imageKey(bytes: Buffer, opts: PrepareOptions): string {
  const hash = createHash("sha256").update(bytes).digest("base64");
  return `${hash} ${JSON.stringify([opts.budget, opts.region, opts.forceEncode])}`;
}

/** The caller gets objects of its own: steps or facts changed by one call never reach the next. */
function copy({ prepared, base64 }: CachedImage): CachedImage {
  return {
    prepared: {
      ...prepared,
      original: { ...prepared.original },
      sent: { ...prepared.sent },
      area: { ...prepared.area },
      steps: [...prepared.steps],
    },
    base64,
  };
}

/** The process's cache, used by the image intake. */
export const preparedImages = new ImageCache();
