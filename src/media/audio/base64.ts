// Streamed audio arrives as base64 pieces; if each piece was encoded on its own, joining the
// strings leaves padding in the middle, which a plain decode would stop at.

/** Decodes base64 that may be several independently padded pieces joined together. */
export function decodeJoinedBase64(data: string): Buffer {
  const pieces = data.replace(/\s+/g, "").match(/[^=]+=*/g) ?? [];
  return Buffer.concat(pieces.map((p) => Buffer.from(p, "base64")));
}
