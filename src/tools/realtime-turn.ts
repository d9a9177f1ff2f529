// realtime_chat's turn: the recording converted to what GLM-Realtime takes, and realtime phases
// reported as progress.
import {
  REALTIME_INPUT_FORMAT,
  REALTIME_MAX_INPUT_SEC,
  REALTIME_OUTPUT_FORMAT,
  type RealtimeProgress,
} from "../glm/realtime.js";
import { formatDuration, loadAudio, toRealtimePcm } from "../media/audio/input.js";
import type { RealtimeTurnRequest } from "../glm/realtime.js";
import type { ToolCall } from "./define-tool.js";
import type { ProgressReporter } from "./progress.js";

/** 30 s of 48 kHz stereo 32-bit audio, with room to spare. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** The recording as the 16 kHz mono PCM the API takes, and what conversion that needed. */
export async function readRealtimeAudio(
  source: string,
  call: ToolCall,
): Promise<{ audioPcm: Buffer; converted?: string }> {
  call.progress.now("reading the audio");
  const audio = await loadAudio(source, {
    policy: await call.mediaPolicy(),
    maxBytes: MAX_INPUT_BYTES,
    accept: ["wav"],
    maxSeconds: REALTIME_MAX_INPUT_SEC,
    longerHint: "use voice_reply, which takes up to 10 minutes",
  });
  const { pcm, converted } = toRealtimePcm(audio, REALTIME_INPUT_FORMAT);
  call.progress.now(
    `sending ${formatDuration(audio.durationSec)} of audio${converted ? ` (converted ${converted})` : ""}`,
  );
  return { audioPcm: pcm, ...(converted ? { converted } : {}) };
}

/** Realtime phases as progress: phase changes at once, growth within a phase throttled. */
export function turnProgress(progress: ProgressReporter, model: string): (p: RealtimeProgress) => void {
  let lastPhase: string | undefined;
  return (p) => {
    const changed = p.phase !== lastPhase;
    lastPhase = p.phase;
    if (p.phase === "sending" && p.framesTotal)
      progress.update(
        p.framesSent,
        `sending audio… ${p.framesSent}/${p.framesTotal} frames`,
        undefined,
        changed,
      );
    else if (p.phase === "receiving") {
      const secs = p.audioBytes / (REALTIME_OUTPUT_FORMAT.sampleRate * 2);
      progress.update(
        p.framesTotal + Math.floor(secs * 10),
        `receiving speech… ${secs.toFixed(1)} s`,
        undefined,
        changed,
      );
    } else if (changed)
      progress.now(p.phase === "connecting" ? `connecting to ${model}` : `waiting for ${model}`);
  };
}

export interface RealtimeTurnArgs {
  voice?: string | undefined;
  instructions?: string | undefined;
  temperature?: number | undefined;
  text?: string | undefined;
  auto_search?: boolean | undefined;
}

export function turnRequest(args: RealtimeTurnArgs, model: string, audioPcm?: Buffer): RealtimeTurnRequest {
  return {
    model,
    ...(args.voice ? { voice: args.voice } : {}),
    ...(args.instructions ? { instructions: args.instructions } : {}),
    ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
    ...(args.text ? { text: args.text } : {}),
    ...(args.auto_search !== undefined ? { autoSearch: args.auto_search } : {}),
    ...(audioPcm ? { audioPcm } : {}),
  };
}
