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

/** 9 significant digits always round-trip a float32; String() drops trailing zeros. */
export function float32Text(v: number): string {
  return String(roundSignificant(v, 9));
}

/** Inline vectors use 7 significant digits (float32's own precision) to spend fewer tokens. */
export function inlineNumber(v: number): number {
  return roundSignificant(v, 7);
}

/**
 * `Number(v.toPrecision(digits))` without the string round trip (~10× faster; a 10,000-text file
 * holds millions of numbers): the integer of `digits` digits divided by a power of ten, which
 * IEEE division rounds to the double nearest that decimal. Where v × 10^k lands within an ulp of a
 * half the last digit may differ by one (still round-tripping a float32); tests hold it to that.
 */
export function roundSignificant(v: number, digits: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const magnitude = Math.abs(v);
  let shift = digits - 1 - Math.floor(Math.log10(magnitude));
  for (let tries = 0; tries < 2; tries++) {
    // 10^22 is the largest power of ten a double holds exactly.
    if (shift < 0 || shift > 22) break;
    const scale = 10 ** shift;
    const m = Math.round(magnitude * scale);
    // log10 can be off by one next to a power of ten: then m has one digit too many or too few.
    if (m >= 10 ** digits) shift--;
    else if (m < 10 ** (digits - 1)) shift++;
    else return (v < 0 ? -m : m) / scale;
  }
  return Number(v.toPrecision(digits));
}
