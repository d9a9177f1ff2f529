// WAV (RIFF/WAVE) headers: read and validate them, build them, and wrap raw PCM so that every
// audio file this server writes plays in any player (header sizes match the data).
import { wavFromPcm, type PcmFormat } from "../../util/wav-encode.js";

export interface WavInfo extends PcmFormat {
  /** 1 = integer PCM, 3 = IEEE float, 0xFFFE = extensible (the sub-format decides). */
  audioFormat: number;
  /** Integer PCM or float once the extensible wrapper is resolved. */
  encoding: "pcm" | "float" | "other";
  blockAlign: number;
  byteRate: number;
  /** Offset of the first data byte and the number of data bytes actually present. */
  dataOffset: number;
  dataBytes: number;
  durationSec: number;
  /** True when the header's declared sizes disagree with the bytes (streamed or truncated files). */
  sizesRepaired: boolean;
  /** The data size the header declares, undefined when a streaming writer left it unknown. */
  declaredDataBytes?: number;
}

// What real recordings can be (8 kHz telephone to 384 kHz studio; mono to 7.1.4 and beyond).
const MIN_SAMPLE_RATE = 1000;
const MAX_SAMPLE_RATE = 384_000;
const MAX_CHANNELS = 32;
/** A cut-off file may miss some data; a header promising far more than is there is not a recording. */
const MAX_MISSING_DATA_BYTES = 1024 * 1024;

/**
 * Why a parsed WAV header cannot describe the bytes it came with (a clause), or undefined: a
 * sample rate or layout no recording has, or a data size far beyond the bytes present.
 */
export function wavHeaderDamage(info: WavInfo): string | undefined {
  if (info.sampleRate < MIN_SAMPLE_RATE || info.sampleRate > MAX_SAMPLE_RATE)
    return `its header claims a sample rate of ${info.sampleRate} Hz`;
  if (info.channels > MAX_CHANNELS) return `its header claims ${info.channels} channels`;
  if (info.encoding !== "other" && ![8, 16, 24, 32, 64].includes(info.bitsPerSample))
    return `its header claims ${info.bitsPerSample}-bit samples`;
  if (info.encoding !== "other" && info.blockAlign !== (info.channels * info.bitsPerSample) / 8)
    return `its header's block size (${info.blockAlign} bytes) does not match ${info.channels} × ${info.bitsPerSample}-bit samples`;
  const missing = (info.declaredDataBytes ?? 0) - info.dataBytes;
  if (missing > MAX_MISSING_DATA_BYTES && missing > info.dataBytes)
    return `its header declares ${info.declaredDataBytes} bytes of audio but only ${info.dataBytes} are there`;
  return undefined;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Streaming writers leave these in the size fields because the length was unknown. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);

function ascii(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < Math.min(end, b.length); i++) s += String.fromCharCode(b[i] ?? 0);
  return s;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WAVE";
}

/** Reads the fmt and data chunks; undefined when the bytes are not a readable WAV file. */
export function parseWav(bytes: Uint8Array): WavInfo | undefined {
  if (!isWav(bytes)) return undefined;
  const dv = view(bytes);
  let offset = 12;
  let fmt:
    | {
        audioFormat: number;
        encoding: WavInfo["encoding"];
        channels: number;
        sampleRate: number;
        byteRate: number;
        blockAlign: number;
        bitsPerSample: number;
      }
    | undefined;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, offset + 4);
    const size = dv.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      if (body + 16 > bytes.length || size < 16) return undefined;
      const audioFormat = dv.getUint16(body, true);
      let encoding: WavInfo["encoding"] =
        audioFormat === WAVE_FORMAT_PCM ? "pcm" : audioFormat === WAVE_FORMAT_FLOAT ? "float" : "other";
      if (audioFormat === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= bytes.length) {
        // The first two bytes of the sub-format GUID carry the real format code.
        const sub = dv.getUint16(body + 24, true);
        encoding = sub === WAVE_FORMAT_PCM ? "pcm" : sub === WAVE_FORMAT_FLOAT ? "float" : "other";
      }
      fmt = {
        audioFormat,
        encoding,
        channels: dv.getUint16(body + 2, true),
        sampleRate: dv.getUint32(body + 4, true),
        byteRate: dv.getUint32(body + 8, true),
        blockAlign: dv.getUint16(body + 12, true),
        bitsPerSample: dv.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!fmt || fmt.channels === 0 || fmt.sampleRate === 0 || fmt.bitsPerSample === 0) return undefined;
      const present = bytes.length - body;
      const declared = UNKNOWN_SIZES.has(size) ? present : Math.min(size, present);
      // Only whole sample frames count.
      const blockAlign = fmt.blockAlign || (fmt.channels * fmt.bitsPerSample) / 8;
      const dataBytes = declared - (declared % blockAlign);
      const riffSize = dv.getUint32(4, true);
      const sizesRepaired = size !== dataBytes || riffSize !== bytes.length - 8;
      const byteRate = fmt.sampleRate * blockAlign;
      return {
        ...fmt,
        blockAlign,
        byteRate,
        dataOffset: body,
        dataBytes,
        durationSec: dataBytes / byteRate,
        sizesRepaired,
        ...(UNKNOWN_SIZES.has(size) ? {} : { declaredDataBytes: size }),
      };
    }
    if (size === 0xffffffff) return undefined;
    offset = body + size + (size % 2);
  }
  return undefined;
}

export interface PlayableWav {
  bytes: Buffer;
  info: WavInfo;
  /** "wav" when the input already was a WAV file, "pcm" when raw PCM was wrapped. */
  source: "wav" | "pcm";
}

/**
 * Makes sure audio bytes from GLM are a WAV file whose header matches its data: a WAV is kept
 * (sizes repaired when a streaming writer left them unknown), anything else is taken as raw PCM in
 * `rawFormat` and wrapped.
 */
export function toPlayableWav(bytes: Uint8Array, rawFormat: PcmFormat): PlayableWav {
  const info = parseWav(bytes);
  if (info) {
    if (!info.sizesRepaired) return { bytes: Buffer.from(bytes), info, source: "wav" };
    // Re-emit with correct sizes: keep the original header up to the data chunk, patch the lengths.
    const head = Buffer.from(bytes.subarray(0, info.dataOffset));
    head.writeUInt32LE(info.dataBytes, info.dataOffset - 4);
    const out = Buffer.concat([head, bytes.subarray(info.dataOffset, info.dataOffset + info.dataBytes)]);
    out.writeUInt32LE(out.length - 8, 4);
    return { bytes: out, info: parseWav(out) as WavInfo, source: "wav" };
  }
  const out = wavFromPcm(bytes, rawFormat);
  return { bytes: out, info: parseWav(out) as WavInfo, source: "pcm" };
}
