// Typed errors of a GLM-Realtime (WebSocket) turn; each carries one actionable sentence.
import { GlmError, errorFromCode, type GlmErrorInit } from "./errors.js";
import { redactKnown } from "../util/redact.js";

export class RealtimeConnectError extends GlmError {
  override name = "RealtimeConnectError";
  constructor(url: string, detail: string) {
    super(
      `Could not open the GLM-Realtime WebSocket at ${url} (${redactKnown(detail)}): the server refused the handshake or could not be reached — check GLM_API_KEY (realtime needs an open.bigmodel.cn key), the network or HTTPS_PROXY, and GLM_REALTIME_URL`,
    );
  }
}

export class RealtimeClosedError extends GlmError {
  override name = "RealtimeClosedError";
  constructor(phase: string, code: number, reason: string) {
    super(
      `The GLM-Realtime connection closed ${phase} (WebSocket code ${code}${reason ? `, "${redactKnown(reason).slice(0, 120)}"` : ""}): call the tool again; if it keeps happening, try glm-realtime-flash or a shorter input`,
    );
  }
}

export class RealtimeSilenceError extends GlmError {
  override name = "RealtimeSilenceError";
  constructor(silenceMs: number, phase: string) {
    super(
      `GLM-Realtime sent nothing for ${silenceMs < 10_000 ? (silenceMs / 1000).toFixed(1) : Math.round(silenceMs / 1000)} s ${phase}, so the connection was closed: call the tool again, use a shorter input, or raise GLM_TIMEOUT_MS`,
    );
  }
}

/** An `error` event whose code is not one of GLM's business codes (e.g. invalid_event). */
export class RealtimeEventError extends GlmError {
  override name = "RealtimeEventError";
  readonly errorType: string | undefined;
  constructor(errorType: string | undefined, init: GlmErrorInit) {
    super(
      `GLM-Realtime rejected the turn (${[errorType, init.code].filter(Boolean).join(" / ") || "error event"}): check the audio (WAV, speech, ≤ 30 s), the voice and instructions named in GLM's message, then call again`,
      init,
    );
    this.errorType = errorType;
  }
}

export class RealtimeResponseError extends GlmError {
  override name = "RealtimeResponseError";
  constructor(status: string) {
    super(
      `GLM-Realtime ended the reply with status "${status}" and no usable answer: call the tool again, or shorten the input`,
    );
  }
}

/** Maps a server `error` event: GLM business codes (1301, 1113, 1302…) keep their own classes. */
export function errorFromRealtimeEvent(
  error: { type?: unknown; code?: unknown; message?: unknown } | undefined,
): GlmError {
  const code = error?.code === undefined || error.code === null ? undefined : String(error.code);
  const type = typeof error?.type === "string" ? error.type : undefined;
  const init: GlmErrorInit = {
    code,
    upstreamMessage: typeof error?.message === "string" ? error.message : undefined,
  };
  if (code && /^\d{4}$/.test(code)) return errorFromCode(code, 0, init);
  return new RealtimeEventError(type, init);
}
