// Float32 vectors as bytes (always little-endian, as .npy '<f4' and the cache files declare) and
// as decimal text (shortest digits that still round-trip to the same float32).

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function float32ToLeBytes(vec: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(vec.buffer, vec.byteOffset, vec.byteLength);
  const out = new Uint8Array(vec.length * 4);
  const view = new DataView(out.buffer);
  vec.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

export function float32FromLeBytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(Math.floor(bytes.byteLength / 4));
  const view = new DataView(bytes.buffer, bytes.byteOffset, out.length * 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** 9 significant digits always round-trip a float32; Number() drops trailing zeros. */
export function float32Text(v: number): string {
  return String(Number(v.toPrecision(9)));
}

/** Inline vectors use 7 significant digits (float32's own precision) to spend fewer tokens. */
export function inlineNumber(v: number): number {
  return Number(v.toPrecision(7));
}
