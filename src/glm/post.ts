// One POST to GLM over undici.request: Node streams instead of fetch's web streams (no Request and
// Response objects, no body copy kept for redirects, no abort of every finished request), about a
// third of fetch's CPU per call. GLM answers directly, so fetch's redirect handling is not needed.
import { request, type Dispatcher, type FormData } from "undici";

/** The part of a fetch Response the client reads. */
export interface GlmResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  readonly body: AsyncIterable<Uint8Array> & { cancel(): Promise<void> };
  /** Reads what is left of the body (up to a bound) so the connection goes back to the pool. */
  drain(): void;
}

/** Bytes read to finish a body nobody needs; a longer rest closes the connection instead. */
const DRAIN_LIMIT = 64 * 1024;

export async function postToGlm(
  url: string,
  init: {
    headers: Record<string, string>;
    body: string | FormData;
    signal: AbortSignal;
    dispatcher?: Dispatcher;
  },
): Promise<GlmResponse> {
  const r = await request(url, { method: "POST", ...init });
  const body = r.body;
  return {
    status: r.statusCode,
    ok: r.statusCode >= 200 && r.statusCode < 300,
    headers: {
      get: (name) => {
        const v = r.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
      },
    },
    body: {
      // A reader that stops early ([DONE] seen) leaves the rest for drain() instead of destroying it.
      [Symbol.asyncIterator]: () => body.iterator({ destroyOnReturn: false }),
      cancel: async () => void body.destroy(),
    },
    drain: () => void body.dump({ limit: DRAIN_LIMIT }).catch(() => {}),
  };
}
