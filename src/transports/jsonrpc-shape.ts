// What the SDK's JSONRPCRequestSchema accepts, checked without zod: the common message (a request)
// is recognised here cheaply, and anything else still goes through the SDK's schema.

const REQUEST_KEYS = new Set(["jsonrpc", "id", "method", "params"]);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON-RPC request as the SDK's schema takes it (strict: no other keys; safe-integer or string id). */
export function isWellFormedRequest(m: unknown): boolean {
  if (!isPlainObject(m) || m.jsonrpc !== "2.0" || typeof m.method !== "string") return false;
  if (typeof m.id !== "string" && !Number.isSafeInteger(m.id)) return false;
  for (const k in m) if (!REQUEST_KEYS.has(k)) return false;
  if (m.params === undefined) return true;
  if (!isPlainObject(m.params)) return false;
  const meta = m.params._meta;
  if (meta === undefined) return true;
  if (!isPlainObject(meta)) return false;
  const token = meta.progressToken;
  return token === undefined || typeof token === "string" || Number.isSafeInteger(token);
}
