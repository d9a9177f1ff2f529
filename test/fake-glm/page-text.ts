// What the fake's GLM-OCR "sees" on a page image. Pixels cannot be read here, so a test page carries
// its visible text as metadata the fake reads back: a PNG tEXt chunk with the keyword "Comment", or
// a JPEG COM segment. A scanned PDF (makeScannedPdf) embeds such a JPEG as its page image (a real
// /DCTDecode image XObject, and no font: no text layer).
import { crc32 } from "node:zlib";
import { assemblePdf } from "./pdf.js";

/** The PNG with one `tEXt` chunk ("Comment" = text) inserted after IHDR. */
export function pngWithText(png: Buffer, text: string): Buffer {
  const data = Buffer.concat([Buffer.from("Comment\0", "latin1"), Buffer.from(text, "latin1")]);
  const type = Buffer.from("tEXt", "latin1");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])) >>> 0);
  const ihdrEnd = 8 + 4 + 4 + 13 + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), len, type, data, crc, png.subarray(ihdrEnd)]);
}

/** The JPEG with one COM segment (the text, UTF-8) right after SOI. */
export function jpegWithComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, "utf8");
  const head = Buffer.from([0xff, 0xfe, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
}

/** Text of the PNG's tEXt "Comment" chunks. */
export function pngText(png: Buffer): string[] {
  const out: string[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    if (type === "tEXt") {
      const data = png.subarray(at + 8, at + 8 + len);
      const nul = data.indexOf(0);
      if (nul > 0 && data.toString("latin1", 0, nul) === "Comment")
        out.push(data.toString("latin1", nul + 1));
    }
    if (type === "IEND") break;
    at += 12 + len;
  }
  return out;
}

/** Text of the JPEG's COM segments (markers walked from SOI up to the scan). */
export function jpegComments(jpeg: Buffer): string[] {
  const out: string[] = [];
  for (let at = 2; at + 4 <= jpeg.length && jpeg[at] === 0xff;) {
    const marker = jpeg[at + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end of image
    const len = jpeg.readUInt16BE(at + 2);
    if (marker === 0xfe) out.push(jpeg.toString("utf8", at + 4, at + 2 + len));
    at += 2 + len;
  }
  return out;
}

/** A one-page PDF whose only content is the JPEG drawn full page: a scan, no text layer. */
export function makeScannedPdf(jpegs: Buffer[]): Buffer {
  const n = jpegs.length;
  const objects: Buffer[] = [
    Buffer.from("<< /Type /Catalog /Pages 2 0 R >>"),
    Buffer.from(
      `<< /Type /Pages /Kids [${jpegs.map((_, i) => `${3 + 3 * i} 0 R`).join(" ")}] /Count ${n} >>`,
    ),
  ];
  for (const [i, jpeg] of jpegs.entries()) {
    const page = 3 + 3 * i;
    const ops = Buffer.from("q 612 0 0 792 0 0 cm /Im1 Do Q");
    objects.push(
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${page + 1} 0 R /Resources << /XObject << /Im1 ${page + 2} 0 R >> >> >>`,
      ),
      Buffer.concat([Buffer.from(`<< /Length ${ops.length} >>\nstream\n`), ops, Buffer.from("\nendstream")]),
      Buffer.concat([
        Buffer.from(
          `<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
        ),
        jpeg,
        Buffer.from("\nendstream"),
      ]),
    );
  }
  return assemblePdf(objects);
}

/** The JPEG images embedded as /DCTDecode streams of a PDF, in file order. */
export function pdfJpegs(pdf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const text = pdf.toString("latin1");
  const re = /\/DCTDecode[^]*?\/Length (\d+)[^]*?stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    out.push(pdf.subarray(start, start + Number(m[1])));
    re.lastIndex = start + Number(m[1]);
  }
  return out;
}
