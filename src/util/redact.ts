// Secret redaction for every text that leaves the process (results, logs, files, error sentences).
// Not only the whole secret: any run of 8+ characters that also appears inside it is replaced, so
// a key cut in half by a truncation (or quoted in part by GLM) cannot leak its first characters.

/** Shortest piece of a secret treated as a leak (shorter secrets are only matched whole). */
export const MIN_SECRET_PIECE = 8;
const MASK = "***";

// Secrets the process knows about (the API key, the HTTP token): registered once by the logger so
// code that truncates text it did not build (GLM error bodies, realtime close reasons) can redact
// first without threading the key through every constructor.
const known = new Set<string>();

export function rememberSecrets(secrets: readonly (string | undefined)[]): void {
  for (const s of secrets) if (s && s.length >= 6) known.add(s);
}

// A window that could be a piece of a written number could match inside numbers (embedding vectors
// saved as JSON run to millions of digits) and corrupt them: those are left alone. Only a real
// piece counts — at most one '.', one exponent, signs only first or after the exponent — so a hex
// key's "e7ee3397" (two e's: never inside a number) is still redacted.
const NUMBER_LIKE = /^[+-]?[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]*)?$/;

/** What redact() looks for, built once per list of secrets (every result string is scanned). */
interface Matcher {
  /** Secrets of 6–7 characters, replaced whole. */
  short: string[];
  /** Every MIN_SECRET_PIECE-long window of each secret (number-like windows left out). */
  windows: Set<string>;
  /** The same windows as a list, for the substring pre-check. */
  pieces: string[];
  /** Char codes a window starts with (below 128; `wide` covers the rest). */
  firstAscii: Uint8Array;
  wide: Set<string>;
}

const matchers = new Map<string, Matcher>();

function matcherFor(list: readonly string[]): Matcher {
  const key = list.join("\0");
  let m = matchers.get(key);
  if (m) return m;
  const windows = new Set<string>();
  for (const s of list)
    for (let i = 0; i + MIN_SECRET_PIECE <= s.length; i++) {
      const w = s.slice(i, i + MIN_SECRET_PIECE);
      if (!NUMBER_LIKE.test(w)) windows.add(w);
    }
  const firstAscii = new Uint8Array(128);
  const wide = new Set<string>();
  for (const w of windows) {
    const c = w.charCodeAt(0);
    if (c < 128) firstAscii[c] = 1;
    else wide.add(w[0]!);
  }
  m = {
    short: list.filter((s) => s.length < MIN_SECRET_PIECE),
    windows,
    pieces: [...windows],
    firstAscii,
    wide,
  };
  if (matchers.size >= 16) matchers.clear(); // the process has one or two lists; never grows
  matchers.set(key, m);
  return m;
}

/**
 * Replaces each secret, and every run of text made of overlapping 8-character windows of a secret
 * (so any 8+ character substring of it: a prefix, a suffix, the middle), with "***". Secrets of
 * 6–7 characters are replaced whole; shorter ones are ignored.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  if (text.length < 6) return text;
  const list = secrets.filter((s): s is string => typeof s === "string" && s.length >= 6);
  if (list.length === 0) return text;
  const { short, windows, pieces, firstAscii, wide } = matcherFor(list);
  let out = text;
  for (const s of short) if (out.includes(s)) out = out.split(s).join(MASK);
  if (windows.size === 0 || out.length < MIN_SECRET_PIECE) return out;
  // Almost every text holds no piece: a native substring search per window says so faster than
  // walking a long result (embedding vectors as JSON) character by character.
  if (out.length > 256 && !pieces.some((w) => out.includes(w))) return out;
  // Mark every character covered by a window that belongs to a secret, then mask each marked run.
  let covered: Uint8Array | undefined;
  for (let i = 0; i + MIN_SECRET_PIECE <= out.length; i++) {
    const c = out.charCodeAt(i);
    if (c < 128 ? firstAscii[c] === 0 : !wide.has(out[i]!)) continue;
    if (windows.has(out.slice(i, i + MIN_SECRET_PIECE))) {
      covered ??= new Uint8Array(out.length);
      covered.fill(1, i, i + MIN_SECRET_PIECE);
    }
  }
  if (!covered) return out;
  let result = "";
  for (let i = 0; i < out.length;) {
    if (covered[i]) {
      while (i < out.length && covered[i]) i++;
      result += MASK;
    } else {
      const start = i;
      while (i < out.length && !covered[i]) i++;
      result += out.slice(start, i);
    }
  }
  return result;
}

/** redact() with the secrets the process registered (for code that has no config at hand). */
export function redactKnown(text: string): string {
  return known.size ? redact(text, [...known]) : text;
}

/** Redacts every string inside a JSON-like value (numbers, booleans and keys' shapes are kept). */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (typeof value === "string") return redact(value, secrets) as T;
  if (Array.isArray(value)) {
    // Vectors and other arrays of numbers hold nothing to redact: kept as they are, not copied.
    if (value.every((v) => typeof v === "number")) return value;
    return value.map((v: unknown) => redactDeep(v, secrets)) as T;
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k, secrets)] = redactDeep(v, secrets);
    return out as T;
  }
  return value;
}

/**
 * A tool result with every text, resource text and structuredContent string redacted. Binary
 * payloads (base64 `data` of image/audio blocks) are left as they are: scanning megabytes of
 * base64 costs time and a key cannot hide in pixel data the agent never reads as text.
 */
export function redactToolResult<R extends { content?: unknown; structuredContent?: unknown }>(
  result: R,
  secrets: readonly (string | undefined)[],
): R {
  const content = Array.isArray(result.content)
    ? result.content.map((block: unknown) => {
        const b = block as { type?: string; data?: unknown };
        if ((b.type === "image" || b.type === "audio") && typeof b.data === "string") {
          const { data, ...rest } = b;
          return { ...redactDeep(rest, secrets), data };
        }
        return redactDeep(block, secrets);
      })
    : result.content;
  return {
    ...result,
    ...(content !== undefined ? { content } : {}),
    ...(result.structuredContent !== undefined
      ? { structuredContent: redactDeep(result.structuredContent, secrets) }
      : {}),
  };
}
