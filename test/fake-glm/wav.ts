// WAV helpers: a sine-tone generator (the fake's voice reply: 44.1 kHz mono 16-bit, see REFERENCE §3)
// and a RIFF/WAVE header reader used to validate input audio.

export interface ToneOptions {
  durationMs?: number;
  frequencyHz?: number;
  sampleRate?: number;
  amplitude?: number;
}

/** A PCM s16le mono WAV file with a sine tone (short fade in/out so it does not click). */
export function makeToneWav(opts: ToneOptions = {}): Buffer {
  const sampleRate = opts.sampleRate ?? 44100;
  const frequency = opts.frequencyHz ?? 440;
  const amplitude = opts.amplitude ?? 0.3;
  const samples = Math.round((sampleRate * (opts.durationMs ?? 500)) / 1000);
  const fade = Math.min(Math.round(sampleRate * 0.01), Math.floor(samples / 2));
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const env = Math.min(1, fade ? i / fade : 1, fade ? (samples - 1 - i) / fade : 1);
    const v = Math.sin((2 * Math.PI * frequency * i) / sampleRate) * amplitude * env;
    pcm.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  return wavFromPcm(pcm, { sampleRate, channels: 1, bitsPerSample: 16 });
}

export function wavFromPcm(
  pcm: Buffer,
  fmt: { sampleRate: number; channels: number; bitsPerSample: number },
): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = (fmt.channels * fmt.bitsPerSample) / 8;
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(fmt.channels, 22);
  header.writeUInt32LE(fmt.sampleRate, 24);
  header.writeUInt32LE(fmt.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(fmt.bitsPerSample, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

export interface WavInfo {
  audioFormat: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  bitsPerSample: number;
  dataBytes: number;
  durationSec: number;
}

/** Reads a RIFF/WAVE header; undefined when the bytes are not a readable WAV file. */
export function parseWav(buf: Buffer): WavInfo | undefined {
  if (buf.length < 12 || buf.toString("ascii", 0, 4) !== "RIFF" || buf.toString("ascii", 8, 12) !== "WAVE")
    return undefined;
  let offset = 12;
  let fmt: Omit<WavInfo, "dataBytes" | "durationSec"> | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString("ascii", offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt " && body + 16 <= buf.length) {
      fmt = {
        audioFormat: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        byteRate: buf.readUInt32LE(body + 8),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === "data") {
      if (!fmt || fmt.byteRate === 0) return undefined;
      // Streaming writers put 0 or 0xFFFFFFFF here; fall back to what is actually present.
      const dataBytes = size === 0 || size === 0xffffffff ? buf.length - body : size;
      return { ...fmt, dataBytes, durationSec: dataBytes / fmt.byteRate };
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}
