// PCM conversion for GLM-Realtime input, which takes mono 16-bit audio only: decode the samples of
// a WAV file (8/16/24/32-bit integer or 32/64-bit float), mix down to mono and resample.
import type { WavInfo } from "./wav.js";

export class UnsupportedAudioError extends Error {
  override name = "UnsupportedAudioError";
}

/** Mono samples in [-1, 1] from the data chunk of a parsed WAV file. */
export function decodeToMono(bytes: Uint8Array, info: WavInfo): Float32Array {
  const { channels, bitsPerSample, encoding } = info;
  const bytesPerSample = bitsPerSample / 8;
  if (!Number.isInteger(bytesPerSample) || bytesPerSample < 1) {
    throw new UnsupportedAudioError(`a ${bitsPerSample}-bit WAV sample size is not supported`);
  }
  const read = sampleReader(encoding, bitsPerSample);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset, info.dataBytes);
  const frames = Math.floor(info.dataBytes / info.blockAlign);
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const base = f * info.blockAlign;
    for (let c = 0; c < channels; c++) sum += read(dv, base + c * bytesPerSample);
    out[f] = sum / channels;
  }
  return out;
}

function sampleReader(encoding: WavInfo["encoding"], bits: number): (dv: DataView, at: number) => number {
  if (encoding === "float") {
    if (bits === 32) return (dv, at) => dv.getFloat32(at, true);
    if (bits === 64) return (dv, at) => dv.getFloat64(at, true);
  }
  if (encoding === "pcm") {
    switch (bits) {
      case 8:
        return (dv, at) => (dv.getUint8(at) - 128) / 128; // 8-bit WAV is unsigned
      case 16:
        return (dv, at) => dv.getInt16(at, true) / 32768;
      case 24:
        return (dv, at) =>
          (((dv.getUint8(at + 2) << 24) | (dv.getUint8(at + 1) << 16) | (dv.getUint8(at) << 8)) >> 8) /
          8388608;
      case 32:
        return (dv, at) => dv.getInt32(at, true) / 2147483648;
    }
  }
  throw new UnsupportedAudioError(
    `WAV encoding "${encoding}" at ${bits} bits is not supported (only uncompressed PCM or float WAV)`,
  );
}

/** Linear-interpolation resampling; good enough for speech going to a speech model. */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate || samples.length === 0) return samples;
  const outLength = Math.max(1, Math.round((samples.length * toRate) / fromRate));
  const out = new Float32Array(outLength);
  const step = fromRate / toRate;
  for (let i = 0; i < outLength; i++) {
    const pos = i * step;
    const i0 = Math.floor(pos);
    const frac = pos - i0;
    const a = samples[Math.min(i0, samples.length - 1)] ?? 0;
    const b = samples[Math.min(i0 + 1, samples.length - 1)] ?? 0;
    out[i] = a + (b - a) * frac;
  }
  return out;
}

/** Float samples to 16-bit little-endian PCM bytes (clipped). */
export function toPcm16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i] ?? 0));
    out.writeInt16LE(Math.round(v < 0 ? v * 32768 : v * 32767), i * 2);
  }
  return out;
}
