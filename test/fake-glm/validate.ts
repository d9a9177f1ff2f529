// Small field checkers shared by the chat and embeddings routes. Optional fields that are absent
// or null pass; everything else must match the documented type and range or it is a 1214.
import { invalidField } from "./errors.js";

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function absent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

export function optBoolean(body: Record<string, unknown>, field: string, label = field): boolean | undefined {
  const v = body[field];
  if (absent(v)) return undefined;
  if (typeof v !== "boolean") throw invalidField(label, "必须是布尔值");
  return v;
}

export function optNumberInRange(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[field];
  if (absent(v)) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
    throw invalidField(field, `取值范围为 [${min}, ${max}]`);
  return v;
}

export function optInteger(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[field];
  if (absent(v)) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw invalidField(field, `必须是 ${min} 到 ${max} 之间的整数`);
  return v;
}

export function optString(
  body: Record<string, unknown>,
  field: string,
  minLen: number,
  maxLen: number,
): string | undefined {
  const v = body[field];
  if (absent(v)) return undefined;
  if (typeof v !== "string" || v.length < minLen || v.length > maxLen)
    throw invalidField(field, `长度为 ${minLen} 到 ${maxLen} 个字符`);
  return v;
}

export function optEnum<T extends string>(
  body: Record<string, unknown>,
  field: string,
  values: readonly T[],
  label = field,
): T | undefined {
  const v = body[field];
  if (absent(v)) return undefined;
  if (typeof v !== "string" || !(values as readonly string[]).includes(v))
    throw invalidField(label, `取值为 ${values.join("、")}`);
  return v as T;
}
