// Media type from magic numbers: the bytes decide, never the file name. This is also the guard
// that keeps a tool from shipping an arbitrary local file (a key, a config) to the cloud.

export type MediaCategory = "image" | "video" | "audio" | "document" | "text" | "unknown";

export interface SniffedType {
  mime: string;
  ext: string;
  category: MediaCategory;
}

const UNKNOWN: SniffedType = { mime: "application/octet-stream", ext: "bin", category: "unknown" };

function ascii(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < Math.min(end, b.length); i++) s += String.fromCharCode(b[i] ?? 0);
  return s;
}

function startsWith(b: Uint8Array, sig: readonly number[], offset = 0): boolean {
  if (b.length < offset + sig.length) return false;
  return sig.every((v, i) => b[offset + i] === v);
}

function t(mime: string, ext: string, category: MediaCategory): SniffedType {
  return { mime, ext, category };
}

export function sniffMediaType(bytes: Uint8Array): SniffedType {
  const b = bytes;
  if (b.length < 2) return b.length === 0 ? UNKNOWN : sniffText(b);

  // Images.
  if (startsWith(b, [0xff, 0xd8, 0xff])) return t("image/jpeg", "jpg", "image");
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return t("image/png", "png", "image");
  if (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a") return t("image/gif", "gif", "image");
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") return t("image/webp", "webp", "image");
  if (ascii(b, 0, 2) === "BM" && b.length >= 26 && readU32LE(b, 2) >= 26)
    return t("image/bmp", "bmp", "image");
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]))
    return t("image/tiff", "tiff", "image");

  // ISO BMFF family (ftyp box at offset 4): avif/heic images, mp4/mov video, m4a audio.
  if (ascii(b, 4, 8) === "ftyp") return sniffFtyp(b);
  // Old QuickTime files may start with another top-level atom.
  if (["moov", "mdat", "wide", "free", "skip", "pnot"].includes(ascii(b, 4, 8)) && readU32BE(b, 0) >= 8) {
    return t("video/quicktime", "mov", "video");
  }
  // EBML: Matroska or WebM (the DocType element tells which).
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) {
    const head = ascii(b, 0, 64);
    return head.includes("webm") ? t("video/webm", "webm", "video") : t("video/x-matroska", "mkv", "video");
  }

  // Audio.
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WAVE") return t("audio/wav", "wav", "audio");
  if (ascii(b, 0, 4) === "fLaC") return t("audio/flac", "flac", "audio");
  if (ascii(b, 0, 4) === "OggS") return t("audio/ogg", "ogg", "audio");
  if (ascii(b, 0, 3) === "ID3" || isMpegAudioFrame(b)) return t("audio/mpeg", "mp3", "audio");

  // Documents.
  if (ascii(b, 0, 5) === "%PDF-") return t("application/pdf", "pdf", "document");
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return sniffZip(b);
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return t("application/x-ole-storage", "doc", "document"); // legacy .doc/.xls/.ppt
  }

  return sniffText(b);
}

function readU32LE(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;
}
function readU32BE(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}

function sniffFtyp(b: Uint8Array): SniffedType {
  const major = ascii(b, 8, 12);
  const boxSize = Math.min(readU32BE(b, 0), b.length, 256);
  const brands = [major];
  for (let o = 16; o + 4 <= boxSize; o += 4) brands.push(ascii(b, o, o + 4));
  if (brands.some((x) => x === "avif" || x === "avis")) return t("image/avif", "avif", "image");
  if (brands.some((x) => ["heic", "heix", "mif1", "msf1", "heim", "heis"].includes(x)))
    return t("image/heic", "heic", "image");
  if (major === "qt  ") return t("video/quicktime", "mov", "video");
  if (major === "M4A " || major === "M4B ") return t("audio/mp4", "m4a", "audio");
  return t("video/mp4", "mp4", "video");
}

/** MPEG-1/2 Layer III frame header: 11 sync bits, a valid version, layer III, a valid bitrate. */
function isMpegAudioFrame(b: Uint8Array): boolean {
  const b1 = b[1] ?? 0;
  const b2 = b[2] ?? 0;
  if (b[0] !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0x3;
  const layer = (b1 >> 1) & 0x3;
  const bitrate = (b2 >> 4) & 0xf;
  const rate = (b2 >> 2) & 0x3;
  return version !== 1 && layer === 1 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

/** Office Open XML files are zips whose entry names give the kind away (docx word/, xlsx xl/, pptx ppt/). */
function sniffZip(b: Uint8Array): SniffedType {
  // Scan local file headers' names in the first 64 KiB; enough for the OOXML directory entries.
  const head = ascii(b, 0, 64 * 1024);
  if (head.includes("word/"))
    return t("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "document");
  if (head.includes("xl/"))
    return t("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "document");
  if (head.includes("ppt/"))
    return t("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "document");
  return t("application/zip", "zip", "unknown");
}

/** UTF-8 text (no NUL, valid UTF-8, few control characters); SVG is text that is an image. */
function sniffText(b: Uint8Array): SniffedType {
  const sample = b.length > 64 * 1024 ? b.subarray(0, 64 * 1024) : b;
  if (!isLikelyUtf8Text(sample, sample.length < b.length)) return UNKNOWN;
  const text = new TextDecoder("utf-8")
    .decode(sample.subarray(0, 4096))
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text))
    return t("image/svg+xml", "svg", "image");
  return t("text/plain", "txt", "text");
}

/** True when `b` decodes as UTF-8 text; `truncated` tolerates a multi-byte sequence cut at the end. */
export function isLikelyUtf8Text(b: Uint8Array, truncated = false): boolean {
  let control = 0;
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    if (c === 0) return false;
    if (c < 0x80) {
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) control++;
      i++;
      continue;
    }
    const n = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
    if (n < 0 || c > 0xf4) return false;
    if (i + n >= b.length) return truncated; // the sequence runs past the end
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return false;
    i += n + 1;
  }
  return control <= Math.max(2, b.length / 100);
}
