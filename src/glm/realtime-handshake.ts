// The GLM-Realtime handshake alone, for `doctor --live`: open the WebSocket with the key, wait for
// `session.created` (the first server event, REFERENCE.md realtime turn flow), close. Nothing is
// sent, so no model time is used: it proves the key, the region and the network path to wss://.
import { WebSocket, type Dispatcher } from "undici";
import { errorFromRealtimeEvent, RealtimeConnectError } from "./realtime-errors.js";
import { GlmError, MissingApiKeyError, TimeoutError } from "./errors.js";
import { rememberSecrets } from "../util/redact.js";

export interface HandshakeOptions {
  url: string;
  apiKey: string | undefined;
  timeoutMs: number;
  dispatcher?: Dispatcher | undefined;
}

/** Resolves with the session id once `session.created` arrives; rejects with a typed GlmError. */
export function realtimeHandshake(opts: HandshakeOptions): Promise<string | undefined> {
  if (!opts.apiKey) return Promise.reject(new MissingApiKeyError());
  rememberSecrets([opts.apiKey]);
  const ws = new WebSocket(opts.url, {
    headers: { authorization: `Bearer ${opts.apiKey}` },
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
  });
  return new Promise<string | undefined>((resolve, reject) => {
    let opened = false;
    let settled = false;
    const finish = (err: GlmError | undefined, id?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.close();
      if (err) reject(err);
      else resolve(id);
    };
    const timer = setTimeout(() => finish(new TimeoutError(opts.timeoutMs)), opts.timeoutMs);
    ws.addEventListener("open", () => (opened = true));
    ws.addEventListener("message", (ev) => {
      if (typeof ev.data !== "string") return;
      let event: { type?: string; session?: { id?: string }; error?: Record<string, unknown> };
      try {
        event = JSON.parse(ev.data) as typeof event;
      } catch {
        return;
      }
      if (event.type === "session.created") finish(undefined, event.session?.id);
      else if (event.type === "error") finish(errorFromRealtimeEvent(event.error));
    });
    ws.addEventListener("close", (ev) => {
      finish(
        opened
          ? new RealtimeConnectError(opts.url, `closed before session.created, code ${ev.code}`)
          : new RealtimeConnectError(opts.url, ev.reason || "handshake failed or the network is unreachable"),
      );
    });
  });
}
