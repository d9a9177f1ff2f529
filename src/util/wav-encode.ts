// Encoding raw PCM as WAV: the wire format of GLM-Realtime's audio frames and of every WAV this
// server writes. Neutral ground: glm/ (realtime frames) and media/audio/ (files) both use it.

export interface PcmFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

const WAVE_FORMAT_PCM = 1;

/** A canonical 44-byte header for `dataBytes` bytes of PCM (integer) audio. */
export function buildWavHeader(fmt: PcmFormat, dataBytes: number): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = (fmt.channels * fmt.bitsPerSample) / 8;
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  header.writeUInt16LE(fmt.channels, 22);
  header.writeUInt32LE(fmt.sampleRate, 24);
  header.writeUInt32LE(fmt.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(fmt.bitsPerSample, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** Wraps raw little-endian PCM in a WAV container (an odd trailing byte is dropped). */
export function wavFromPcm(pcm: Uint8Array, fmt: PcmFormat): Buffer {
  const blockAlign = (fmt.channels * fmt.bitsPerSample) / 8;
  const usable = pcm.byteLength - (pcm.byteLength % blockAlign);
  return Buffer.concat([buildWavHeader(fmt, usable), pcm.subarray(0, usable)]);
}
