// Embeddings already computed, keyed by (model, dimensions, text): an in-memory LRU bounded in
// bytes, optionally backed by a directory so vectors survive restarts. Vectors are float32
// (what the .npy output holds anyway; GLM's extra decimal digits carry no meaning).
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { float32FromLeBytes, float32ToLeBytes } from "./float32.js";

/** Approximate per-entry overhead of the Map entry, key string and typed-array object. */
const ENTRY_OVERHEAD_BYTES = 200;

export interface EmbeddingCacheOptions {
  maxBytes: number;
  /** Persist entries as <dir>/<model>-<dimensions>/<hh>/<sha256>.f32 (raw little-endian float32). */
  dir?: string;
  /** Called when the disk cache fails; the cache then behaves as memory-only for that entry. */
  onDiskError?: (err: unknown) => void;
}

export function cacheKey(model: string, dimensions: number, text: string): string {
  return createHash("sha256").update(`${model}\n${dimensions}\n${text}`).digest("hex");
}

export class EmbeddingCache {
  private readonly entries = new Map<string, Float32Array>();
  private bytes = 0;

  constructor(private readonly opts: EmbeddingCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }
  get usedBytes(): number {
    return this.bytes;
  }
  get maxBytes(): number {
    return this.opts.maxBytes;
  }

  /** Memory first, then the cache dir; a hit becomes the most recently used entry. */
  async get(model: string, dimensions: number, key: string): Promise<Float32Array | undefined> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    if (!this.opts.dir) return undefined;
    try {
      const buf = await readFile(this.filePath(model, dimensions, key));
      if (buf.byteLength !== dimensions * 4) return undefined;
      const vec = float32FromLeBytes(buf);
      this.remember(key, vec);
      return vec;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") this.opts.onDiskError?.(err);
      return undefined;
    }
  }

  async set(model: string, dimensions: number, key: string, vec: Float32Array): Promise<void> {
    this.remember(key, vec);
    if (!this.opts.dir) return;
    const file = this.filePath(model, dimensions, key);
    const tmp = `${file}.${randomBytes(3).toString("hex")}.part`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(tmp, float32ToLeBytes(vec), { flag: "wx" });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      this.opts.onDiskError?.(err);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remember(key: string, vec: Float32Array): void {
    const cost = vec.byteLength + ENTRY_OVERHEAD_BYTES;
    if (cost > this.opts.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.byteLength + ENTRY_OVERHEAD_BYTES;
    }
    this.entries.set(key, vec);
    this.bytes += cost;
    // Map iteration order is insertion order: the first key is the least recently used.
    for (const [oldest, v] of this.entries) {
      if (this.bytes <= this.opts.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= v.byteLength + ENTRY_OVERHEAD_BYTES;
    }
  }

  private filePath(model: string, dimensions: number, key: string): string {
    const bucket = `${model.replace(/[^a-zA-Z0-9.-]/g, "_")}-${dimensions}`;
    return path.join(this.opts.dir!, bucket, key.slice(0, 2), `${key}.f32`);
  }
}
