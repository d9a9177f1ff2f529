// Audio arguments of voice_reply and realtime_chat: bytes from a path / data URI / base64 (via
// src/media/sources.ts), the format sniffed from the bytes, the duration checked before upload.
import { MediaError } from "../errors.js";
import { loadOptions, type MediaPolicy } from "../policy.js";
import { describeType, loadSourceBytes } from "../sources.js";
import { mp3DurationSec } from "./mp3.js";
import { decodeToMono, resample, toPcm16, UnsupportedAudioError } from "./pcm.js";
import { parseWav, wavHeaderDamage, type WavInfo } from "./wav.js";
import { formatBytes } from "../../util/format.js";
import { PcmFormat } from "../../util/wav-encode.js";

export interface LoadedAudio {
  bytes: Buffer;
  format: "wav" | "mp3";
  durationSec: number;
  displayName: string;
  wav?: WavInfo;
}

export interface AudioLoadOptions {
  /** Where local files may be read from (allow dirs, client roots) and the global size cap. */
  policy: MediaPolicy;
  /** This tool's own size cap (the smaller of it and the policy's applies). */
  maxBytes: number;
  /** Formats this tool accepts; others are refused with a conversion hint. */
  accept: readonly ("wav" | "mp3")[];
  maxSeconds: number;
  /** The tool to suggest for longer audio, if any. */
  longerHint: string;
}

const CONVERT_HINT = "convert it first, e.g. `ffmpeg -i input -ac 1 -ar 16000 output.wav`";

export async function loadAudio(input: string, opts: AudioLoadOptions): Promise<LoadedAudio> {
  const { policy } = opts;
  const loaded = await loadSourceBytes(input, {
    ...loadOptions(policy, "audio"),
    maxBytes: Math.min(opts.maxBytes, policy.inputMaxBytes),
    expect: ["audio"],
    tooBigHint: `shorten it or ${CONVERT_HINT}`,
  });
  const ext = loaded.type.ext;
  const accepted = opts.accept.map((f) => f.toUpperCase()).join(" or ");
  if (ext !== "wav" && ext !== "mp3") {
    throw new MediaError(
      `The ${loaded.displayName} is ${describeType(loaded.type)}, but this tool takes ${accepted} audio: ${CONVERT_HINT}.`,
    );
  }
  if (!opts.accept.includes(ext)) {
    throw new MediaError(
      `The ${loaded.displayName} is ${ext.toUpperCase()}, but this tool takes ${accepted} audio only: ${CONVERT_HINT}.`,
    );
  }
  let durationSec: number;
  let wav: WavInfo | undefined;
  if (ext === "wav") {
    wav = parseWav(loaded.bytes);
    if (!wav)
      throw new MediaError(
        `The ${loaded.displayName} has a RIFF/WAVE signature but no readable fmt/data chunks (a damaged or truncated file): re-export it as a standard WAV.`,
      );
    const damage = wavHeaderDamage(wav);
    if (damage)
      throw new MediaError(
        `The ${loaded.displayName} is a damaged WAV file: ${damage}; re-export it as a standard WAV (${CONVERT_HINT}).`,
      );
    durationSec = wav.durationSec;
  } else {
    const seconds = mp3DurationSec(loaded.bytes);
    if (seconds === undefined)
      throw new MediaError(
        `The ${loaded.displayName} looks like MP3 but has no readable MPEG audio frames: re-export it, or ${CONVERT_HINT}.`,
      );
    durationSec = seconds;
  }
  if (durationSec <= 0)
    throw new MediaError(
      `The ${loaded.displayName} contains no audio samples: pass a recording with speech in it.`,
    );
  if (durationSec > opts.maxSeconds) {
    throw new MediaError(
      `The ${loaded.displayName} lasts ${formatDuration(durationSec)}, over the ${formatDuration(opts.maxSeconds)} this tool accepts: cut it shorter${opts.longerHint ? ` or ${opts.longerHint}` : ""}.`,
    );
  }
  return {
    bytes: loaded.bytes,
    format: ext,
    durationSec,
    displayName: loaded.displayName,
    ...(wav ? { wav } : {}),
  };
}

export function formatDuration(sec: number): string {
  if (sec < 60) return `${Math.round(sec * 10) / 10} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec - m * 60);
  return `${m} min${s ? ` ${s} s` : ""}`;
}

/** WAV -> mono 16-bit PCM at `target.sampleRate` (GLM-Realtime takes mono 16-bit only). */
export function toRealtimePcm(
  audio: LoadedAudio,
  target: PcmFormat,
): { pcm: Buffer; converted: string | undefined } {
  const info = audio.wav;
  if (!info)
    throw new MediaError(
      `realtime_chat takes WAV audio; ${audio.displayName} is ${audio.format.toUpperCase()}: ${CONVERT_HINT}, or use voice_reply, which takes MP3.`,
    );
  let mono: Float32Array;
  try {
    mono = decodeToMono(audio.bytes, info);
  } catch (err) {
    if (err instanceof UnsupportedAudioError)
      throw new MediaError(`The ${audio.displayName} cannot be used: ${err.message}; ${CONVERT_HINT}.`);
    throw err;
  }
  const pcm = toPcm16(resample(mono, info.sampleRate, target.sampleRate));
  const same =
    info.encoding === "pcm" &&
    info.channels === 1 &&
    info.bitsPerSample === 16 &&
    info.sampleRate === target.sampleRate;
  const converted = same
    ? undefined
    : `${info.sampleRate} Hz ${info.channels === 1 ? "mono" : `${info.channels}-channel`} ${info.bitsPerSample}-bit ${info.encoding} -> ${target.sampleRate} Hz mono 16-bit (${formatBytes(pcm.length)})`;
  return { pcm, converted };
}
