// BMP decoding (sharp's prebuilt libvips has no BMP loader): uncompressed 1/4/8-bit palette,
// 24-bit and 32-bit (BI_RGB or BI_BITFIELDS) Windows bitmaps to raw RGBA for sharp.
import { MediaError } from "./errors.js";

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;
const MAX_PIXELS = 16384 * 16384;

export function isBmp(b: Uint8Array): boolean {
  return b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d;
}

export function decodeBmp(input: Uint8Array): RawImage {
  const b = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const fail = (why: string) =>
    new MediaError(`The BMP image cannot be read (${why}); convert it to png or jpg first.`);
  if (!isBmp(b) || b.length < 54) throw fail("truncated header");
  const dataOffset = b.readUInt32LE(10);
  const headerSize = b.readUInt32LE(14);
  if (headerSize < 40) throw fail("OS/2 bitmaps are not supported");
  const width = b.readInt32LE(18);
  const rawHeight = b.readInt32LE(22);
  const bpp = b.readUInt16LE(28);
  const compression = b.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  const topDown = rawHeight < 0;
  if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) throw fail(`bad size ${width}×${height}`);
  if (![1, 4, 8, 24, 32].includes(bpp)) throw fail(`${bpp}-bit pixels`);
  if (
    compression !== BI_RGB &&
    !((compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) && bpp === 32)
  )
    throw fail("compressed pixels");

  // Channel masks for 32-bit: from the header when bitfields are used, else BGRA/BGRX.
  let masks = { r: 0x00ff0000, g: 0x0000ff00, b: 0x000000ff, a: 0 };
  if (bpp === 32 && compression !== BI_RGB) {
    const at = 54; // right after a 40-byte header, and at the same offset inside V4/V5 headers
    masks = {
      r: b.readUInt32LE(at),
      g: b.readUInt32LE(at + 4),
      b: b.readUInt32LE(at + 8),
      a: headerSize >= 56 || compression === BI_ALPHABITFIELDS ? b.readUInt32LE(at + 12) : 0,
    };
  }
  const paletteCount = bpp <= 8 ? b.readUInt32LE(46) || 1 << bpp : 0;
  const paletteAt = 14 + headerSize;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + stride * height > b.length) throw fail("pixel data is truncated");

  const out = Buffer.alloc(width * height * 4);
  const channel = (v: number, mask: number) => {
    if (!mask) return 255;
    let shift = 0;
    while (((mask >>> shift) & 1) === 0) shift++;
    const max = mask >>> shift;
    const raw = (v & mask) >>> shift;
    return max === 255 ? raw : Math.round((raw * 255) / max);
  };
  let alphaSeen = false;
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (bpp === 24) {
        out[o] = b[row + x * 3 + 2]!;
        out[o + 1] = b[row + x * 3 + 1]!;
        out[o + 2] = b[row + x * 3]!;
        out[o + 3] = 255;
      } else if (bpp === 32) {
        const v = b.readUInt32LE(row + x * 4);
        out[o] = channel(v, masks.r);
        out[o + 1] = channel(v, masks.g);
        out[o + 2] = channel(v, masks.b);
        out[o + 3] = channel(v, masks.a);
        if (masks.a && out[o + 3] !== 0) alphaSeen = true;
      } else {
        const bitPos = x * bpp;
        const byte = b[row + (bitPos >> 3)]!;
        const idx = (byte >> (8 - bpp - (bitPos & 7))) & ((1 << bpp) - 1);
        const p = paletteAt + Math.min(idx, paletteCount - 1) * 4;
        out[o] = b[p + 2] ?? 0;
        out[o + 1] = b[p + 1] ?? 0;
        out[o + 2] = b[p] ?? 0;
        out[o + 3] = 255;
      }
    }
  }
  // A 32-bit BMP whose alpha channel is all zero means "no alpha" in practice.
  if (bpp === 32 && masks.a && !alphaSeen) for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return { data: out, width, height, channels: 4 };
}
