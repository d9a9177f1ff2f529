// Magic-byte sniffing for video and audio payloads sent as base64.

/** mp4 / mov (ISO BMFF or QuickTime atoms at offset 4) or mkv/webm (EBML 1A45DFA3). */
export function sniffVideo(buf: Buffer): "mp4" | "mov" | "mkv" | undefined {
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0x1a45dfa3) return "mkv";
  if (buf.length < 12) return undefined;
  const atom = buf.toString("ascii", 4, 8);
  if (atom === "ftyp") return buf.toString("ascii", 8, 10) === "qt" ? "mov" : "mp4";
  if (atom === "moov" || atom === "wide" || atom === "mdat" || atom === "free") return "mov";
  return undefined;
}

export function isWav(buf: Buffer): boolean {
  return (
    buf.length >= 12 && buf.toString("ascii", 0, 4) === "RIFF" && buf.toString("ascii", 8, 12) === "WAVE"
  );
}

/** ID3v2 tag, or an MPEG audio frame sync (11 set bits: 0xFF 0xE0 mask). */
export function isMp3(buf: Buffer): boolean {
  if (buf.length >= 3 && buf.toString("ascii", 0, 3) === "ID3") return true;
  return buf.length >= 2 && buf[0] === 0xff && ((buf[1] ?? 0) & 0xe0) === 0xe0;
}

// kbit/s for MPEG-1 Layer III and MPEG-2/2.5 Layer III.
const MPEG1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/** Duration estimate of an MP3 from its first frame's bitrate (CBR assumption); undefined if unreadable. */
export function mp3DurationSec(buf: Buffer): number | undefined {
  let offset = 0;
  if (buf.length >= 10 && buf.toString("ascii", 0, 3) === "ID3") {
    const size =
      (((buf[6] ?? 0) & 0x7f) << 21) |
      (((buf[7] ?? 0) & 0x7f) << 14) |
      (((buf[8] ?? 0) & 0x7f) << 7) |
      ((buf[9] ?? 0) & 0x7f);
    offset = 10 + size;
  }
  for (let i = offset; i + 4 <= buf.length && i < offset + 64 * 1024; i++) {
    const b1 = buf[i + 1] ?? 0;
    if (buf[i] !== 0xff || (b1 & 0xe0) !== 0xe0) continue;
    const version = (b1 >> 3) & 0x3; // 3 = MPEG-1
    const layer = (b1 >> 1) & 0x3; // 1 = Layer III
    if (version === 1 || layer !== 1) continue;
    const idx = ((buf[i + 2] ?? 0) >> 4) & 0xf;
    const kbps = (version === 3 ? MPEG1_L3 : MPEG2_L3)[idx];
    if (!kbps) continue;
    return ((buf.length - i) * 8) / (kbps * 1000);
  }
  return undefined;
}
