// MP3 duration by walking MPEG audio frames (exact for CBR and VBR files, no decoding needed).
// GLM-4-Voice bills and limits input audio by duration (≤ 10 min), so we check it before sending.

// kbit/s by bitrate index. MPEG-1 Layer III, and MPEG-2/2.5 Layer III.
const MPEG1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

interface Frame {
  length: number;
  samples: number;
  sampleRate: number;
}

/** Parses a Layer III frame header at `i`; undefined if there is none. */
function frameAt(b: Uint8Array, i: number): Frame | undefined {
  if (i + 4 > b.length) return undefined;
  const b1 = b[i + 1] ?? 0;
  const b2 = b[i + 2] ?? 0;
  if (b[i] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 0x3;
  const layer = (b1 >> 1) & 0x3;
  if (version === 1 || layer !== 1) return undefined; // reserved version, or not Layer III
  const kbps = (version === 3 ? MPEG1_L3 : MPEG2_L3)[(b2 >> 4) & 0xf];
  const sampleRate = SAMPLE_RATES[version]?.[(b2 >> 2) & 0x3];
  if (!kbps || !sampleRate) return undefined;
  const padding = (b2 >> 1) & 0x1;
  const perFrame = version === 3 ? 1152 : 576;
  const length = Math.floor(((perFrame / 8) * kbps * 1000) / sampleRate) + padding;
  return { length, samples: perFrame, sampleRate };
}

/** Skips a leading ID3v2 tag. */
function audioStart(b: Uint8Array): number {
  if (b.length >= 10 && b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) {
    const size =
      (((b[6] ?? 0) & 0x7f) << 21) |
      (((b[7] ?? 0) & 0x7f) << 14) |
      (((b[8] ?? 0) & 0x7f) << 7) |
      ((b[9] ?? 0) & 0x7f);
    return 10 + size + ((b[5] ?? 0) & 0x10 ? 10 : 0);
  }
  return 0;
}

/** Duration in seconds, or undefined when no MPEG Layer III frame can be found. */
export function mp3DurationSec(b: Uint8Array): number | undefined {
  let i = audioStart(b);
  // Find the first frame (tolerating some junk before it).
  const searchEnd = Math.min(b.length, i + 64 * 1024);
  let first: Frame | undefined;
  for (; i < searchEnd; i++) {
    first = frameAt(b, i);
    // The first frame must be whole: a 4-byte header alone (an 8-byte "MP3") is not audio. After
    // it comes another frame, the end, or at most an ID3v1 tag (128 bytes).
    const end = first ? i + first.length : 0;
    if (first && end <= b.length && (b.length - end <= 128 || frameAt(b, end))) break;
    first = undefined;
  }
  if (!first) return undefined;
  let seconds = 0;
  let frame: Frame | undefined = first;
  while (frame) {
    seconds += frame.samples / frame.sampleRate;
    i += frame.length;
    frame = frameAt(b, i);
  }
  const tail = b.length - i;
  // Frames stopped early (damaged file): estimate the rest from the first frame's bitrate.
  if (tail > 1024) seconds += (tail / first.length) * (first.samples / first.sampleRate);
  return seconds;
}
