// Strict base64 handling for media fields (images, videos, audio).

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URI_RE = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?(;[a-z0-9-]+=[^;,]*)*;base64,/i;

export function isHttpUrl(s: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(s);
}

/** Splits an optional `data:<mime>;base64,` prefix off (GLM accepts bare base64 and, per REFERENCE §2, the prefix). */
export function stripDataUri(s: string): { mime?: string; payload: string } {
  const m = DATA_URI_RE.exec(s);
  if (!m) return { payload: s };
  return { mime: m[1]?.toLowerCase(), payload: s.slice(m[0].length) };
}

/** Decodes standard base64 (no whitespace, correct padding); undefined when it is not base64. */
export function decodeBase64(s: string): Buffer | undefined {
  if (s.length === 0 || s.length % 4 !== 0 || !BASE64_RE.test(s)) return undefined;
  return Buffer.from(s, "base64");
}
