// GLM-4-Voice streams its speech as `delta.audio.data` pieces, and the platform's own streaming
// sample writes each piece as a WAV file of its own (as read in issue #12; the non-streaming
// sample in PAGE GLM-4-Voice saves one 44.1 kHz mono s16 file), so each piece may carry its own
// RIFF header. Joining the bytes as one file would
// keep only the first header's length (three 1 s chunks → a 1 s file). Here the decoded stream is
// split at every WAV header, wherever it falls (a header may also arrive cut across pieces, which
// joining the bytes first makes whole again), and the PCM of all parts becomes one WAV.
import { wavFromPcm, type PcmFormat } from "../../util/wav-encode.js";
import { parseWav, toPlayableWav, type PlayableWav } from "./wav.js";

const RIFF = Buffer.from("RIFF", "ascii");

/** Offset of the next "RIFF....WAVE" signature at or after `from`, or -1. */
function nextHeader(bytes: Buffer, from: number): number {
  for (let i = bytes.indexOf(RIFF, from); i >= 0; i = bytes.indexOf(RIFF, i + 1)) {
    if (bytes.toString("ascii", i + 8, i + 12) === "WAVE") return i;
  }
  return -1;
}

/**
 * One playable WAV from a voice stream: every WAV part's samples in order (plus raw PCM between or
 * before parts, read in the first part's format, or `rawFormat` when no part has a header).
 */
export function wavFromVoiceStream(bytes: Buffer, rawFormat: PcmFormat): PlayableWav {
  const first = nextHeader(bytes, 0);
  if (first < 0) return toPlayableWav(bytes, rawFormat);
  const pcm: Buffer[] = [];
  let format: PcmFormat | undefined;
  const raw: Buffer[] = first > 0 ? [bytes.subarray(0, first)] : [];
  for (let at = first; at >= 0 && at < bytes.length;) {
    const following = nextHeader(bytes, at + 12);
    const end = following < 0 ? bytes.length : following;
    const info = parseWav(bytes.subarray(at, end));
    if (!info) {
      // An unreadable header: skip it and its bytes rather than play noise.
      at = following;
      continue;
    }
    format ??= { sampleRate: info.sampleRate, channels: info.channels, bitsPerSample: info.bitsPerSample };
    pcm.push(bytes.subarray(at + info.dataOffset, at + info.dataOffset + info.dataBytes));
    at = following;
  }
  const fmt = format ?? rawFormat;
  return toPlayableWav(wavFromPcm(Buffer.concat([...raw, ...pcm]), fmt), fmt);
}
