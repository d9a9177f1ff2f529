// Audio fixtures generated in the test run: WAV tones (any rate / channels / bit depth) and a
// synthetic MP3 made of valid MPEG-1 Layer III frame headers.
import { existsSync, readdirSync } from "node:fs";

/** A sine-tone WAV: PCM integer (8/16/24/32-bit) or 32-bit float, any rate and channel count. */
export function toneWav(opts: {
  durationMs: number;
  sampleRate?: number;
  channels?: number;
  bits?: 8 | 16 | 24 | 32;
  float?: boolean;
  frequencyHz?: number;
}): Buffer {
  const rate = opts.sampleRate ?? 16000;
  const channels = opts.channels ?? 1;
  const bits = opts.float ? 32 : (opts.bits ?? 16);
  const bytesPer = bits / 8;
  const frames = Math.round((rate * opts.durationMs) / 1000);
  const data = Buffer.alloc(frames * channels * bytesPer);
  for (let i = 0; i < frames; i++) {
    const v = 0.3 * Math.sin((2 * Math.PI * (opts.frequencyHz ?? 440) * i) / rate);
    for (let c = 0; c < channels; c++) {
      const at = (i * channels + c) * bytesPer;
      if (opts.float) data.writeFloatLE(v, at);
      else if (bits === 8) data.writeUInt8(Math.round(v * 127 + 128), at);
      else if (bits === 16) data.writeInt16LE(Math.round(v * 32767), at);
      else if (bits === 24) data.writeIntLE(Math.round(v * 8388607), at, 3);
      else data.writeInt32LE(Math.round(v * 2147483647), at);
    }
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(opts.float ? 3 : 1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * channels * bytesPer, 28);
  header.writeUInt16LE(channels * bytesPer, 32);
  header.writeUInt16LE(bits, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** An MP3 of `seconds` made of 128 kbps / 44.1 kHz MPEG-1 Layer III frames (silent payload), with an ID3v2 tag. */
export function syntheticMp3(seconds: number): Buffer {
  const frameLength = Math.floor((144 * 128_000) / 44_100); // 417 bytes, no padding
  const frames = Math.round((seconds * 44_100) / 1152);
  const frame = Buffer.alloc(frameLength);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  const id3 = Buffer.from([
    0x49,
    0x44,
    0x33,
    0x04,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x0a,
    ...new Array(10).fill(0),
  ]);
  return Buffer.concat([id3, ...new Array(frames).fill(frame)]);
}

/** Files in a directory (none when it does not exist). */
export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

export interface ParsedWav {
  format: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  riffSize: number;
  dataSize: number;
}

/** Reads a canonical 44-byte-header WAV strictly (the shape this server writes). */
export function readCanonicalWav(b: Buffer): ParsedWav {
  if (
    b.toString("ascii", 0, 4) !== "RIFF" ||
    b.toString("ascii", 8, 16) !== "WAVEfmt " ||
    b.toString("ascii", 36, 40) !== "data"
  ) {
    throw new Error("not a canonical WAV");
  }
  return {
    format: b.readUInt16LE(20),
    channels: b.readUInt16LE(22),
    sampleRate: b.readUInt32LE(24),
    byteRate: b.readUInt32LE(28),
    blockAlign: b.readUInt16LE(32),
    bitsPerSample: b.readUInt16LE(34),
    riffSize: b.readUInt32LE(4),
    dataSize: b.readUInt32LE(40),
  };
}
