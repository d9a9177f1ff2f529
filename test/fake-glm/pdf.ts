// A minimal one-page PDF whose text the fake file parser can read back (parser.ts pdfText), so
// tests of local-document handling can check that the real content went through.
import { deflateSync } from "node:zlib";

/** One text object per line; `compress` stores the content stream with /FlateDecode. */
export function makePdf(lines: string[], opts: { compress?: boolean } = {}): Buffer {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const ops = lines.map((l, i) => `BT /F1 12 Tf 72 ${720 - 16 * i} Td (${esc(l)}) Tj ET`).join("\n");
  const body = opts.compress ? deflateSync(Buffer.from(ops, "latin1")) : Buffer.from(ops, "latin1");
  const filter = opts.compress ? " /Filter /FlateDecode" : "";
  const objects: Buffer[] = [
    Buffer.from("<< /Type /Catalog /Pages 2 0 R >>"),
    Buffer.from("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    Buffer.from(
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    ),
    Buffer.concat([
      Buffer.from(`<< /Length ${body.length}${filter} >>\nstream\n`),
      body,
      Buffer.from("\nendstream"),
    ]),
    Buffer.from("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
  ];
  return assemblePdf(objects);
}

/** A PDF file of `objects` (object 1 is the catalog), with the xref table real readers need. */
export function assemblePdf(objects: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n")];
  const offsets: number[] = [];
  let at = parts[0]!.length;
  for (const [i, obj] of objects.entries()) {
    offsets.push(at);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), obj, Buffer.from("\nendobj\n")]);
    parts.push(chunk);
    at += chunk.length;
  }
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("") +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`;
  parts.push(Buffer.from(xref));
  return Buffer.concat(parts);
}
