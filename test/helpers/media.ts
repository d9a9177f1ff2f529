// Real media bytes for tests, generated with sharp (images) or by hand (container headers).
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

/** A photo-like image: smooth gradient plus noise (so it is not "flat" like a screenshot). */
export async function photoJpeg(width: number, height: number, quality = 90): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  const noise = randomBytes(width * height);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const n = (noise[i]! % 48) - 24;
      raw[i * 3] = clamp8((x * 255) / width + n);
      raw[i * 3 + 1] = clamp8((y * 255) / height + n);
      raw[i * 3 + 2] = clamp8(128 + n);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

function clamp8(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

/** A screenshot-like PNG: white page, dark text lines, a coloured button. */
export async function screenshotPng(width: number, height: number, lines = 60): Promise<Buffer> {
  const rows = Array.from(
    { length: lines },
    (_, i) =>
      `<text x="24" y="${40 + i * 24}" font-family="sans-serif" font-size="15" fill="#1f2328">Line ${i}: const value = compute(${i}); // small UI text</text>`,
  ).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#ffffff"/><rect x="${width - 220}" y="20" width="180" height="44" rx="6" fill="#2da44e"/>${rows}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A solid image of one colour in the given format. */
export async function solid(
  width: number,
  height: number,
  color: string,
  format: "png" | "jpeg" | "webp" | "avif" | "tiff" | "gif" = "png",
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .toFormat(format)
    .toBuffer();
}

/** An RGB pixel of a decoded image. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image)
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  const o = (y * info.width + x) * info.channels;
  return [data[o]!, data[o + 1]!, data[o + 2]!];
}

export function near(a: readonly number[], b: readonly number[], tol = 40): boolean {
  return a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= tol);
}

/** An uncompressed 24-bit BMP, bottom-up rows, from an RGB callback. */
export function bmp24(
  width: number,
  height: number,
  rgb: (x: number, y: number) => [number, number, number],
): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const row = (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      px[row + x * 3] = b;
      px[row + x * 3 + 1] = g;
      px[row + x * 3 + 2] = r;
    }
  }
  const hdr = Buffer.alloc(54);
  hdr.write("BM", 0, "ascii");
  hdr.writeUInt32LE(54 + px.length, 2);
  hdr.writeUInt32LE(54, 10);
  hdr.writeUInt32LE(40, 14);
  hdr.writeInt32LE(width, 18);
  hdr.writeInt32LE(height, 22);
  hdr.writeUInt16LE(1, 26);
  hdr.writeUInt16LE(24, 28);
  hdr.writeUInt32LE(px.length, 34);
  return Buffer.concat([hdr, px]);
}

function box(type: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, "ascii");
  return Buffer.concat([head, payload]);
}

/** ISO BMFF container bytes (ftyp + mdat): enough for magic-number sniffing, not a playable video. */
export function mp4Bytes(brand = "isom", size = 2048): Buffer {
  const ftyp = box(
    "ftyp",
    Buffer.concat([
      Buffer.from(brand.padEnd(4), "ascii"),
      Buffer.from([0, 0, 2, 0]),
      Buffer.from("isomiso2mp41", "ascii"),
    ]),
  );
  return Buffer.concat([ftyp, box("mdat", randomBytes(Math.max(0, size - ftyp.length - 8)))]);
}

/** EBML header with DocType "matroska" or "webm". */
export function matroskaBytes(docType: "matroska" | "webm", size = 1024): Buffer {
  const doc = Buffer.from(docType, "ascii");
  const head = Buffer.concat([
    Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | (doc.length + 3), 0x42, 0x82, 0x80 | doc.length]),
    doc,
  ]);
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

/** A minimal zip local-file header naming `entry` (how OOXML files start). */
export function zipWithEntry(entry: string): Buffer {
  const name = Buffer.from(entry, "ascii");
  const hdr = Buffer.alloc(30);
  hdr.writeUInt32LE(0x04034b50, 0);
  hdr.writeUInt16LE(name.length, 26);
  return Buffer.concat([hdr, name, Buffer.from("<xml/>")]);
}

export interface TinyServer {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

/** A loopback HTTP server answering each path from a route table (for loopback URL tests). */
export async function serveRoutes(
  routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>,
): Promise<TinyServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    const route = routes[(req.url ?? "").split("?")[0]!];
    if (route) route(req, res);
    else {
      res.statusCode = 404;
      res.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendBytes(bytes: Buffer, type = "application/octet-stream") {
  return (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader("content-type", type);
    res.setHeader("content-length", String(bytes.length));
    res.end(bytes);
  };
}
