// One fake GLM-Realtime session: validates client events the way the platform documents them
// (seed doc "GLM-Realtime", asyncapi-2026-07-11.json) and streams a reply with realistic
// interleaving. Error codes such as invalid_event come from the docs' example; the others are [I].
import { randomBytes } from "node:crypto";
import type { WebSocket } from "ws";
import { decodeBase64 } from "./base64.js";
import type {
  RealtimeErrorBody,
  RealtimeFault,
  RealtimeScript,
  RecordedConnection,
  FaultPoint,
} from "./realtime-types.js";
import { estimateTokens } from "./tokens.js";
import { makeToneWav, parseWav } from "./wav.js";

const MODELS = new Set(["glm-realtime-flash", "glm-realtime-air", "glm-realtime"]);
const VOICES = new Set([
  "tongtong",
  "xiaochen",
  "female-tianmei",
  "female-shaonv",
  "male-qn-daxuesheng",
  "male-qn-jingying",
  "lovely_girl",
  "default",
]);
const INPUT_FORMATS = /^(wav|wav\d\d|pcm|pcm\d\d)$/;
const MAX_APPENDS_PER_SEC = 50;
const MAX_INPUT_SEC = 30;
/** Audio tokens per second of input (same rate GLM-4-Voice bills). */
const AUDIO_TOKENS_PER_SEC = 12.5;

const CLIENT_EVENTS = new Set([
  "session.update",
  "transcription_session.update",
  "input_audio_buffer.append",
  "input_audio_buffer.append_video_frame",
  "input_audio_buffer.commit",
  "input_audio_buffer.clear",
  "conversation.item.create",
  "conversation.item.delete",
  "conversation.item.retrieve",
  "response.create",
  "response.cancel",
]);

const DEFAULTS = {
  transcript: "你好！这是一段测试回复。Hello from the fake realtime model.",
  inputTranscript: "请回答我的问题。",
  audioMs: 600,
};

function id(prefix: string): string {
  return prefix + randomBytes(12).toString("hex");
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const err = (code: string, message: string, type = "invalid_request_error"): RealtimeErrorBody => ({
  type,
  code,
  message,
});

export class FakeRealtimeSession {
  private readonly sessionId =
    new Date().toISOString().replace(/\D/g, "").slice(0, 14) + randomBytes(8).toString("hex");
  private session: Record<string, unknown> = {
    object: "realtime.session",
    model: "glm-realtime",
    modalities: ["text", "audio"],
    voice: "default",
    input_audio_format: "wav",
    output_audio_format: "pcm",
    temperature: 0.05,
    beta_fields: { chat_mode: "audio" },
  };
  private bufferSec = 0;
  private bufferAppends = 0;
  /** Items committed or created since the last response (the input of the next one). */
  private pendingInput: { itemId: string; kind: "audio" | "text"; seconds: number; text: string }[] = [];
  private responding = false;
  private cancelled = false;
  private silent = false;
  private dead = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private appendTimes: number[] = [];

  constructor(
    private readonly ws: WebSocket,
    private readonly record: RecordedConnection,
    private readonly script: RealtimeScript,
    private readonly opts: { heartbeatMs: number; deltaDelayMs: number },
  ) {}

  start(): void {
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.opts.heartbeatMs);
    this.heartbeatTimer.unref();
    if (this.faultAt("connect")) return;
    this.send({ type: "session.created", session: { ...this.session, id: this.sessionId } });
    this.heartbeat();
  }

  stop(): void {
    this.dead = true;
    clearInterval(this.heartbeatTimer);
  }

  /** Lets the server record who closed the socket. */
  markServerClose: () => void = () => {};

  private heartbeat(): void {
    const f = this.script.fault;
    if (this.silent && !(f?.kind === "silent" && f.heartbeats)) return;
    this.send({ type: "heartbeat" }, true);
  }

  private send(event: Record<string, unknown>, evenIfSilent = false): void {
    if (this.dead || (this.silent && !evenIfSilent) || this.ws.readyState !== this.ws.OPEN) return;
    this.record.sent.push(String(event.type));
    this.ws.send(JSON.stringify({ event_id: id("event"), client_timestamp: Date.now(), ...event }));
  }

  private error(body: RealtimeErrorBody): void {
    this.send({ type: "error", error: body });
  }

  /** Runs the scripted fault if it is due at `point`; true when the normal flow must stop. */
  private faultAt(point: FaultPoint, deltas = 0): boolean {
    const f: RealtimeFault | undefined = this.script.fault;
    if (!f || f.on !== point) return false;
    if (point === "mid-response" && deltas < (f.afterDeltas ?? 2)) return false;
    this.script.fault = undefined; // fires once
    if (f.kind === "error") {
      this.error(f.error);
      if (f.recoverable) return false;
    } else if (f.kind === "drop") {
      this.dead = true;
      this.ws.terminate();
    } else {
      this.script.fault = f; // keep it visible to heartbeat()
      this.silent = true;
    }
    return true;
  }

  handle(raw: string): void {
    let event: unknown;
    try {
      event = JSON.parse(raw);
    } catch {
      this.record.events.push({ type: "(invalid json)", body: undefined, at: Date.now() });
      return this.error(err("invalid_event", "The event is not valid JSON."));
    }
    const type = isObject(event) && typeof event.type === "string" ? event.type : undefined;
    this.record.events.push({ type: type ?? "(missing type)", body: event, at: Date.now() });
    if (this.silent || this.dead) return;
    if (!isObject(event) || !type) return this.error(err("invalid_event", "The 'type' field is missing."));
    if (!CLIENT_EVENTS.has(type)) return this.error(err("invalid_event", `Unknown event type '${type}'.`));
    if (this.faultAt(type as FaultPoint)) return;
    switch (type) {
      case "session.update":
        return this.sessionUpdate(event);
      case "input_audio_buffer.append":
        return this.append(event);
      case "input_audio_buffer.commit":
        return this.commit();
      case "input_audio_buffer.clear":
        this.bufferSec = 0;
        this.bufferAppends = 0;
        return this.send({ type: "input_audio_buffer.cleared" });
      case "conversation.item.create":
        return this.itemCreate(event);
      case "response.create":
        return void this.responseCreate();
      case "response.cancel":
        if (!this.responding)
          return this.error(err("response_cancel_not_active", "There is no active response to cancel."));
        this.cancelled = true;
        return;
      default:
        return this.error(err("unsupported_event", `The fake does not implement '${type}'.`));
    }
  }

  private sessionUpdate(event: Record<string, unknown>): void {
    const s = event.session;
    if (!isObject(s)) return this.error(err("invalid_value", "Missing required parameter: 'session'."));
    if (s.model !== undefined && !MODELS.has(String(s.model)))
      return this.error(err("invalid_model", `Model '${String(s.model)}' does not exist.`));
    if (s.voice !== undefined && !VOICES.has(String(s.voice)))
      return this.error(err("invalid_value", `Invalid value for 'session.voice': '${String(s.voice)}'.`));
    if (s.output_audio_format !== undefined && s.output_audio_format !== "pcm") {
      return this.error(
        err(
          "invalid_value",
          "Invalid 'session.output_audio_format': only 'pcm' (24 kHz, mono, 16-bit) is supported.",
        ),
      );
    }
    if (s.input_audio_format !== undefined && !INPUT_FORMATS.test(String(s.input_audio_format))) {
      return this.error(
        err("invalid_value", "Invalid 'session.input_audio_format': use wav or pcm (e.g. pcm16, pcm24)."),
      );
    }
    if (
      s.temperature !== undefined &&
      (typeof s.temperature !== "number" || s.temperature < 0 || s.temperature > 1)
    ) {
      return this.error(err("invalid_value", "'session.temperature' must be a number in [0, 1]."));
    }
    const td = s.turn_detection;
    if (
      td !== undefined &&
      td !== null &&
      (!isObject(td) || !["client_vad", "server_vad"].includes(String(td.type)))
    ) {
      return this.error(
        err("invalid_value", "'session.turn_detection.type' must be client_vad or server_vad."),
      );
    }
    if (isObject(td) && td.type === "server_vad") {
      return this.error(err("unsupported_value", "The fake implements client VAD only."));
    }
    const bf = s.beta_fields;
    if (bf !== undefined && (!isObject(bf) || !["audio", "video_passive"].includes(String(bf.chat_mode)))) {
      return this.error(
        err("invalid_value", "'session.beta_fields.chat_mode' must be audio or video_passive."),
      );
    }
    // BetaFields.auto_search: boolean, default true (asyncapi-2026-07-11.json L558).
    if (isObject(bf) && bf.auto_search !== undefined && typeof bf.auto_search !== "boolean") {
      return this.error(err("invalid_value", "'session.beta_fields.auto_search' must be a boolean."));
    }
    if (
      s.modalities !== undefined &&
      (!Array.isArray(s.modalities) || !s.modalities.every((m) => m === "text" || m === "audio"))
    ) {
      return this.error(err("invalid_value", "'session.modalities' must be a list of text/audio."));
    }
    this.session = { ...this.session, ...s };
    this.send({ type: "session.updated", session: { ...this.session, id: this.sessionId } });
    this.heartbeat();
  }

  private append(event: Record<string, unknown>): void {
    const now = Date.now();
    this.appendTimes = this.appendTimes.filter((t) => now - t < 1000);
    if (this.appendTimes.length >= MAX_APPENDS_PER_SEC) {
      this.record.droppedAppends++; // "超过后会被限流丢弃": dropped without an error event
      return;
    }
    this.appendTimes.push(now);
    this.record.peakAppendsPerSec = Math.max(this.record.peakAppendsPerSec, this.appendTimes.length);
    if (typeof event.audio !== "string" || event.audio === "")
      return this.error(err("invalid_value", "Missing required parameter: 'audio'."));
    const bytes = decodeBase64(event.audio);
    if (!bytes) return this.error(err("invalid_value", "'audio' is not valid base64."));
    const format = String(this.session.input_audio_format ?? "wav");
    let seconds: number;
    if (format.startsWith("wav")) {
      const info = parseWav(bytes);
      if (!info)
        return this.error(err("invalid_audio", "The audio is not a WAV file (input_audio_format is wav)."));
      if (info.audioFormat !== 1 || info.channels !== 1 || info.bitsPerSample !== 16) {
        return this.error(err("invalid_audio", "Only mono 16-bit PCM audio is supported."));
      }
      seconds = info.durationSec;
    } else {
      const rate = format === "pcm" ? 16000 : Number(format.slice(3)) * 1000;
      if (bytes.length % 2) return this.error(err("invalid_audio", "PCM audio must be 16-bit samples."));
      seconds = bytes.length / 2 / rate;
    }
    this.bufferSec += seconds;
    this.bufferAppends++;
    if (this.bufferSec > MAX_INPUT_SEC) {
      return this.error(err("input_audio_too_long", `The audio buffer exceeds ${MAX_INPUT_SEC} seconds.`));
    }
  }

  private commit(): void {
    if (this.bufferAppends === 0 || this.bufferSec <= 0) {
      return this.error(
        err(
          "input_audio_buffer_commit_empty",
          "Error committing input audio buffer: the buffer is empty; send input_audio_buffer.append first.",
        ),
      );
    }
    const itemId = id("item");
    this.pendingInput.push({ itemId, kind: "audio", seconds: this.bufferSec, text: "" });
    this.bufferSec = 0;
    this.bufferAppends = 0;
    this.send({ type: "input_audio_buffer.committed", item_id: itemId });
    this.send({
      type: "conversation.item.created",
      item: {
        id: itemId,
        object: "realtime.item",
        type: "message",
        role: "user",
        status: "completed",
        content: [{ type: "input_audio" }],
      },
    });
  }

  private itemCreate(event: Record<string, unknown>): void {
    const item = event.item;
    if (!isObject(item)) return this.error(err("invalid_value", "Missing required parameter: 'item'."));
    if (item.type === "function_call_output") {
      if (typeof item.output !== "string" || !item.output)
        return this.error(err("invalid_value", "'item.output' must not be empty."));
    } else if (item.type === "message") {
      const parts = Array.isArray(item.content) ? item.content : [];
      const text = parts
        .filter(
          (p): p is Record<string, unknown> => isObject(p) && (p.type === "input_text" || p.type === "text"),
        )
        .map((p) => (typeof p.text === "string" ? p.text : ""))
        .join("");
      if (!text.trim())
        return this.error(
          err("invalid_value", "The message item has no text (content[].type input_text with text)."),
        );
      const itemId = typeof item.id === "string" ? item.id : id("item");
      this.pendingInput.push({ itemId, kind: "text", seconds: 0, text });
      return this.send({
        type: "conversation.item.created",
        item: { ...item, id: itemId, status: "completed" },
      });
    } else {
      return this.error(
        err("invalid_value", "'item.type' must be message, function_call or function_call_output."),
      );
    }
    this.send({ type: "conversation.item.created", item: { ...item, id: id("item"), status: "completed" } });
  }

  /**
   * Whether this turn uses the built-in search: auto_search on (the default) in audio mode
   * ("仅在audio模式下生效", asyncapi L560), and the question needs current facts or the script says so.
   */
  private searches(input: { kind: string; text: string }[]): boolean {
    const bf = isObject(this.session.beta_fields) ? this.session.beta_fields : {};
    if (bf.auto_search === false || (bf.chat_mode ?? "audio") !== "audio") return false;
    if (this.script.search !== undefined) return this.script.search !== false;
    return input.some((i) => SEARCHABLE.test(i.text));
  }

  /**
   * response.function_call.simple_browser, after response.created and before the transcript
   * (seed doc, RealtimeServerEventResponseFunctionCallSimpleBrowser; asyncapi
   * ResponseFunctionCallSimpleBrowser); a failed search is the video_model_query_error event.
   */
  private searchEvents(): void {
    this.send({
      type: "response.function_call.simple_browser",
      name: "simple_browser",
      session: {
        beta_fields: {
          simple_browser: {
            description: this.script.searchDescription ?? "好的，我马上帮你查一下！",
            search_meta: "",
            meta: "",
            text_citation: "",
          },
        },
      },
    });
    if (this.script.search === "error")
      this.error(err("video_model_query_error", "search request failed", "server_error"));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private async responseCreate(): Promise<void> {
    if (this.responding)
      return this.error(
        err("conversation_already_has_active_response", "A response is already in progress."),
      );
    if (this.pendingInput.length === 0) {
      return this.error(
        err(
          "response_create_without_input",
          "No new input: commit audio or create a conversation item before response.create.",
        ),
      );
    }
    const input = this.pendingInput;
    this.pendingInput = [];
    this.responding = true;
    this.cancelled = false;
    const responseId = id("resp");
    const itemId = id("item");
    const s = this.script;
    const transcript = s.transcript ?? DEFAULTS.transcript;
    const audioMs = s.audioMs ?? DEFAULTS.audioMs;
    const modalities = (this.session.modalities as string[] | undefined) ?? ["text", "audio"];
    const withAudio = modalities.includes("audio") && audioMs > 0;
    const audioInput = input.find((i) => i.kind === "audio");
    const base = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };

    this.send({
      type: "response.created",
      response: { id: responseId, object: "realtime.response", status: "in_progress" },
    });
    this.send({
      type: "rate_limits.updated",
      rate_limits: [{ name: "requests", limit: 5, remaining: 4, reset_seconds: 1.0 }],
    });
    this.send({
      type: "response.output_item.added",
      response_id: responseId,
      output_index: 0,
      item: {
        id: itemId,
        object: "realtime.item",
        type: "message",
        role: "assistant",
        status: "in_progress",
        content: [{}],
      },
    });
    this.send({
      type: "conversation.item.created",
      item: {
        id: itemId,
        object: "realtime.item",
        type: "message",
        role: "assistant",
        status: "in_progress",
        content: [],
      },
    });
    if (this.searches(input)) this.searchEvents();
    this.send({ type: "response.content_part.added", ...base, part: { type: withAudio ? "audio" : "text" } });

    // Interleave transcript pieces, text pieces and ~100 ms audio chunks, as the platform streams them.
    const textPieces = chunkText(transcript, 6);
    const extraText = s.text ? chunkText(s.text, 6) : [];
    const pcm = withAudio
      ? makeToneWav({ durationMs: audioMs, sampleRate: 24000, frequencyHz: 330 }).subarray(44)
      : Buffer.alloc(0);
    const audioChunks: Buffer[] = [];
    for (let at = 0; at < pcm.length; at += 4800) audioChunks.push(pcm.subarray(at, at + 4800));
    let deltas = 0;
    let inputSent = false;
    const sendInputTranscript = () => {
      if (!audioInput || inputSent) return;
      inputSent = true;
      if (s.inputTranscript === false) {
        this.send({
          type: "conversation.item.input_audio_transcription.failed",
          item_id: audioInput.itemId,
          content_index: 0,
          error: { code: "asr_no_result", message: "asr fail", type: "ASR_ERROR" },
        });
      } else {
        this.send({
          type: "conversation.item.input_audio_transcription.completed",
          item_id: audioInput.itemId,
          content_index: 0,
          transcript: s.inputTranscript ?? DEFAULTS.inputTranscript,
        });
      }
    };
    const steps = Math.max(textPieces.length, extraText.length, audioChunks.length);
    for (let i = 0; i < steps; i++) {
      if (this.dead || this.silent) return;
      if (this.cancelled) break;
      const t = textPieces[i];
      const x = extraText[i];
      const a = audioChunks[i];
      const delta = (type: string, value: string) => {
        this.send({ type, ...base, delta: value });
        deltas++;
      };
      if (t !== undefined) delta(withAudio ? "response.audio_transcript.delta" : "response.text.delta", t);
      if (x !== undefined) delta("response.text.delta", x);
      if (a) delta("response.audio.delta", a.toString("base64"));
      if (i === 1 && !s.inputTranscriptAfterDone) sendInputTranscript();
      if (this.faultAt("mid-response", deltas)) {
        if (this.dead || this.silent) return;
      }
      await this.sleep(this.opts.deltaDelayMs);
    }
    if (this.dead || this.silent) return;
    if (!s.inputTranscriptAfterDone) sendInputTranscript();

    const status = this.cancelled ? "cancelled" : (s.status ?? "completed");
    if (s.text) this.send({ type: "response.text.done", ...base, text: s.text });
    if (withAudio) {
      this.send({ type: "response.audio_transcript.done", ...base, transcript });
      this.send({ type: "response.audio.done", ...base });
    } else {
      this.send({ type: "response.text.done", ...base, text: transcript });
    }
    this.send({ type: "response.content_part.done", ...base, part: { type: withAudio ? "audio" : "text" } });
    this.send({
      type: "response.output_item.done",
      response_id: responseId,
      output_index: 0,
      item: {
        id: itemId,
        object: "realtime.item",
        type: "message",
        role: "assistant",
        status: "completed",
        content: [{}],
      },
    });
    if (this.cancelled)
      this.send({
        type: "response.cancelled",
        response: { id: responseId, object: "realtime.response", status },
      });

    const inputText = input.reduce((n, i) => n + estimateTokens(i.text), 0);
    const inputAudio = Math.ceil(input.reduce((n, i) => n + i.seconds, 0) * AUDIO_TOKENS_PER_SEC);
    const outText = estimateTokens(transcript + (s.text ?? ""));
    const outAudio = withAudio ? Math.ceil((audioMs / 1000) * AUDIO_TOKENS_PER_SEC) : 0;
    this.send({
      type: "response.done",
      response: {
        id: responseId,
        object: "realtime.response",
        status,
        usage: {
          total_tokens: inputText + inputAudio + outText + outAudio,
          input_tokens: inputText + inputAudio,
          output_tokens: outText + outAudio,
          input_token_details: { cached_tokens: 0, text_tokens: inputText, audio_tokens: inputAudio },
          output_token_details: { text_tokens: outText, audio_tokens: outAudio },
        },
      },
    });
    this.responding = false;
    if (s.closeAfterDone) {
      this.markServerClose();
      this.ws.close(1000, "session finished");
      return;
    }
    if (s.inputTranscriptAfterDone) {
      await this.sleep(this.opts.deltaDelayMs);
      sendInputTranscript();
    }
  }
}

/** What a question needing current facts looks like, for the fake's search decision. */
const SEARCHABLE = /weather|news|latest|today|search|price|天气|新闻|最新|今天|搜索|价格/i;

function chunkText(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
}
