// NumPy .npy (format version 1.0) for a (rows, dims) float32 matrix: numpy.load(path) reads it.
// Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { float32FromLeBytes, float32ToLeBytes } from "../embeddings/float32.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

export function encodeNpy(rows: readonly Float32Array[], dims: number): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows.length}, ${dims}), }`;
  // magic(6) + version(2) + header length(2) + header, padded with spaces and ended by "\n" to 64 bytes.
  const unpadded = 10 + header.length + 1;
  header += " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + rows.length * dims * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  let offset = 10 + header.length;
  for (const row of rows) {
    if (row.length !== dims) throw new Error(`row has ${row.length} values, expected ${dims}`);
    out.set(float32ToLeBytes(row), offset);
    offset += dims * 4;
  }
  return out;
}

/** Reads back what encodeNpy writes (little-endian float32, C order, 1- or 2-D; versions 1–3). */
export function decodeNpy(bytes: Uint8Array): { shape: number[]; data: Float32Array } {
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw new Error("not an .npy file");
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  if (!/'descr':\s*'<f4'/.test(header)) throw new Error(`unsupported dtype in header ${header.trim()}`);
  if (/'fortran_order':\s*True/.test(header)) throw new Error("Fortran-ordered arrays are not supported");
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "";
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const data = float32FromLeBytes(bytes.subarray(start + headerLen));
  const expected = shape.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new Error(`.npy holds ${data.length} values, shape says ${expected}`);
  return { shape, data };
}
