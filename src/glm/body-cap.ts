// Upstream bodies are read with a cap: a broken gateway or hostile endpoint sending 150 MB must
// not take the server's memory with it. Each cap is far above what a legitimate answer can be.
import { ResponseTooLargeError } from "./errors.js";

/** Error bodies: GLM's own are a few hundred bytes ({"error":{"code","message"}}); the rest is discarded. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** A non-streamed chat answer: output is capped at 128K tokens (~512 KB of text, more when JSON escapes CJK). */
export const MAX_CHAT_BODY_BYTES = 32 * 1024 * 1024;
/** One server-sent event (one chunk of an answer: a few tokens, or the final usage). */
export const MAX_SSE_EVENT_BYTES = 4 * 1024 * 1024;
/** A whole stream. */
export const MAX_SSE_TOTAL_BYTES = 64 * 1024 * 1024;
/** Per number of an embedding written as JSON ("-0.012345678901234567," is ~22 bytes), plus slack. */
const EMBEDDING_BYTES_PER_NUMBER = 25;
const EMBEDDING_SLACK_BYTES = 256 * 1024;

/** The cap for an embeddings answer: inputs × dimensions × ~25 bytes, plus slack for the envelope. */
export function embeddingsBodyCap(body: { input: string | string[]; dimensions?: number }): number {
  const inputs = Array.isArray(body.input) ? body.input.length : 1;
  const dims = body.dimensions ?? 2048; // embedding-3's largest size (docs: dimensions 256–2048)
  return inputs * dims * EMBEDDING_BYTES_PER_NUMBER + EMBEDDING_SLACK_BYTES;
}

/**
 * The body as text, at most `maxBytes`. Over the cap: with `truncate` the first maxBytes are kept
 * and the rest discarded (error pages); otherwise ResponseTooLargeError. The connection is
 * released either way.
 */
export async function readCapped(
  res: { body: (AsyncIterable<Uint8Array> & { cancel(): Promise<unknown> }) | null },
  maxBytes: number,
  opts: { what: string; truncate?: boolean; status?: number },
): Promise<string> {
  if (!res.body) return "";
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    const room = maxBytes - total;
    if (chunk.byteLength > room) {
      if (room > 0) chunks.push(Buffer.from(chunk.subarray(0, room)));
      await res.body.cancel().catch(() => {});
      if (opts.truncate) return Buffer.concat(chunks).toString("utf8");
      throw new ResponseTooLargeError(opts.what, maxBytes, { status: opts.status });
    }
    chunks.push(Buffer.from(chunk));
    total += chunk.byteLength;
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

/** Passes a byte stream through, failing when one event or the whole stream grows past its cap. */
export async function* cappedSse(
  source: AsyncIterable<Uint8Array>,
  limits = { event: MAX_SSE_EVENT_BYTES, total: MAX_SSE_TOTAL_BYTES },
): AsyncGenerator<Uint8Array> {
  let total = 0;
  let sinceBoundary = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > limits.total) throw new ResponseTooLargeError("stream", limits.total);
    const text = Buffer.from(chunk).toString("latin1");
    const boundary = Math.max(text.lastIndexOf("\n\n"), text.lastIndexOf("\r\n\r\n"));
    sinceBoundary = boundary >= 0 ? chunk.byteLength - boundary : sinceBoundary + chunk.byteLength;
    if (sinceBoundary > limits.event) throw new ResponseTooLargeError("stream event", limits.event);
    yield chunk;
  }
}
