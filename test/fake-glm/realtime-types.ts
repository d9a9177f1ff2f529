// Public types of the fake GLM-Realtime WebSocket server (see realtime.ts).

export interface RealtimeErrorBody {
  type: string;
  code?: string;
  message: string;
}

/** A point in the turn where a scripted fault fires. */
export type FaultPoint =
  /** Right after the WebSocket opens, before session.created. */
  | "connect"
  /** When the client sends an event of this type (the event is then not handled normally). */
  | "session.update"
  | "input_audio_buffer.append"
  | "input_audio_buffer.commit"
  | "conversation.item.create"
  | "response.create"
  /** During the reply, after `afterDeltas` delta events (default 2). */
  | "mid-response";

export type RealtimeFault =
  /**
   * Sends this `error` event (the session stays open, as on the platform). The client event it
   * fires on is then dropped, unless `recoverable`: the model page says most errors are
   * recoverable, so the event is still handled and the turn goes on to response.done.
   */
  | { kind: "error"; on: FaultPoint; error: RealtimeErrorBody; afterDeltas?: number; recoverable?: boolean }
  /** Destroys the TCP connection without a close frame (the client sees code 1006). */
  | { kind: "drop"; on: FaultPoint; afterDeltas?: number }
  /** Stops sending anything but (optionally) heartbeats. */
  | { kind: "silent"; on: FaultPoint; afterDeltas?: number; heartbeats?: boolean };

/** How the next connection answers. Unset fields take the server defaults. */
export interface RealtimeScript {
  /** The spoken reply's transcript (split into response.audio_transcript.delta events). */
  transcript?: string;
  /** Also stream response.text.delta events with this text. */
  text?: string;
  /** Length of the reply audio (24 kHz mono s16le sine tone), ms. 0 = no audio. */
  audioMs?: number;
  /** Transcript of the input audio; false = send input_audio_transcription.failed. */
  inputTranscript?: string | false;
  /** Send the input transcription only after response.done (it is asynchronous on the platform). */
  inputTranscriptAfterDone?: boolean;
  /** response.done status (default completed). */
  status?: "completed" | "incomplete" | "failed";
  /**
   * The built-in web search (beta_fields.auto_search, on unless the session turned it off; audio
   * mode only): true searches this turn whatever was asked, false never; unset searches when the
   * text input asks for current facts (weather, news, latest, today, search…). "error" searches
   * and then reports the documented video_model_query_error event, the reply going on.
   */
  search?: boolean | "error";
  /** The stalling line sent in the search event's simple_browser.description. */
  searchDescription?: string;
  /** Close the socket (code 1000) right after response.done, as a server ending the session would. */
  closeAfterDone?: boolean;
  fault?: RealtimeFault;
}

export interface RecordedClientEvent {
  type: string;
  /** The parsed JSON event (undefined when the frame was not JSON). */
  body: any; // tests read arbitrary fields
  /** Date.now() on arrival. */
  at: number;
}

export interface RecordedConnection {
  id: number;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Client events in arrival order (including rejected ones). */
  events: RecordedClientEvent[];
  /** Server events sent, by type, in order. */
  sent: string[];
  /** Appends dropped for exceeding 50 events per second (the platform drops them silently). */
  droppedAppends: number;
  /** Highest number of append events seen in any 1 s window. */
  peakAppendsPerSec: number;
  /** Set when the socket closed: who closed it, and the close code the server saw. */
  closed?: { by: "client" | "server"; code: number };
  /** Resolves when the socket has closed. */
  whenClosed: Promise<{ by: "client" | "server"; code: number }>;
}

export interface FakeRealtimeOptions {
  apiKey?: string;
  /** Heartbeat interval (ms); the platform sends one every 30 s. */
  heartbeatMs?: number;
  /** Delay between streamed reply events (ms). */
  deltaDelayMs?: number;
  port?: number;
}

export interface FakeRealtime {
  /** ws://127.0.0.1:PORT/api/paas/v4/realtime */
  url: string;
  apiKey: string;
  /** Every WebSocket connection (and rejected handshakes are not listed: see `rejectedHandshakes`). */
  connections: RecordedConnection[];
  /** All client events of all connections, in arrival order. */
  readonly events: RecordedClientEvent[];
  /** Handshakes refused (bad path or auth), with the HTTP status sent. */
  rejectedHandshakes: { path: string; status: number }[];
  /** Queue a script for the next `times` (default 1) connections. */
  script(s: RealtimeScript, opts?: { times?: number }): void;
  readonly openConnections: number;
  reset(): void;
  close(): Promise<void>;
}
