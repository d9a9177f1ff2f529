// Server-sent events writer: `data: {json}\n\n` per chunk, `data: [DONE]\n\n` at the end, with the
// stream faults (cut after N chunks, in-stream error after N chunks, malformed data line, trickle).

/** The slice of an open exchange the writer needs (implemented by server.ts). */
export interface SseSink {
  /** Resolves once the bytes were handed to the socket. */
  write(text: string): Promise<void>;
  /** True once the response closed (client went away or the fake shut down). */
  readonly ended: boolean;
  /** Waits `ms` (or one event-loop turn for 0); resolves early when the exchange ends. */
  sleep(ms: number): Promise<void>;
}

export interface SseOptions {
  chunkDelayMs: number;
  /** Send this many chunks, then stop without [DONE] (the caller destroys the socket). */
  cutAfter?: number;
  /** After this many chunks send `data: {"error":{code,message}}` and stop. */
  errorAfter?: { afterChunks: number; code: string; message: string };
}

export type SseOutcome = "done" | "cut" | "error" | "gone";

export const SSE_HEADERS = {
  "content-type": "text/event-stream;charset=UTF-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
} as const;

export async function writeSse(sink: SseSink, chunks: unknown[], opts: SseOptions): Promise<SseOutcome> {
  for (let i = 0; i <= chunks.length; i++) {
    if (i > 0) await sink.sleep(opts.chunkDelayMs);
    if (sink.ended) return "gone";
    const last = i === chunks.length;
    if (opts.cutAfter !== undefined && (i >= opts.cutAfter || last)) return "cut";
    if (opts.errorAfter && (i >= opts.errorAfter.afterChunks || last)) {
      const { code, message } = opts.errorAfter;
      await sink.write(`data: ${JSON.stringify({ error: { code, message } })}\n\n`);
      return "error";
    }
    if (last) break;
    await sink.write(`data: ${JSON.stringify(chunks[i])}\n\n`);
  }
  await sink.write("data: [DONE]\n\n");
  return "done";
}

/** The `malformed-json` fault on a stream: one data line that is not JSON. */
export async function writeMalformedSse(sink: SseSink): Promise<void> {
  await sink.write('data: {"id":"broken","choices":[{"delta":{"content":"Ech\n\n');
}
