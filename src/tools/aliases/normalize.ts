// Arguments as agents write them -> the tool's canonical arguments, before validation. Agents guess
// names (`image_path`, `question`, `topK`) and shapes (`"max_tokens": "2000"`, `"images": "/x.png"`)
// from other APIs; each tool's alias table says what its other names mean, and the field types of its
// canonical schema say which shapes can be repaired. Nothing is dropped: an argument that is neither
// canonical nor an alias is an error naming the nearest valid one, and two arguments that land on
// the same field with different values are refused rather than one silently winning.
import { ToolInputError } from "../../errors.js";
import { isDeepStrictEqual } from "node:util";
import { looseKey, nearest } from "../../util/nearest.js";

/** One tool's other names and shapes, in one place (src/tools/aliases/<tool>.ts). */
export interface AliasTable {
  /** Other name -> canonical argument. Matching ignores case, `_` and `-` (so `systemPrompt` = `system_prompt`). */
  readonly names: Readonly<Record<string, string>>;
  /** An other name whose value stands for several canonical arguments (glm_reason's OpenAI `messages`). */
  readonly expand?: Readonly<Record<string, (value: unknown) => Record<string, unknown>>>;
  /** Canonical string arguments that also take a list, joined with this separator (`targets`). */
  readonly joinLists?: Readonly<Record<string, string>>;
  /** A string argument given a list of several items means this list argument (`image` -> `images`). */
  readonly listTo?: Readonly<Record<string, string>>;
  /** Media-source arguments: `{url}`, `{path}`, `{data}` and `{image_url: {url}}` objects are unwrapped. */
  readonly sources?: readonly string[];
  /** Other values of an enum argument, matched like names (vision_analyze task "ocr" -> "extract_text"). */
  readonly values?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** An enum argument given free text (with spaces) that is none of its values: the text means this
   * other argument, when that one is not given (vision_analyze `task` was once a name of `prompt`). */
  readonly freeTextTo?: Readonly<Record<string, string>>;
}

/** A listed JSON Schema property, as far as repairs need it. */
export interface FieldSchema {
  type?: string;
  enum?: unknown[];
  items?: FieldSchema;
  anyOf?: FieldSchema[];
}

export interface ToolShape {
  name: string;
  properties: Readonly<Record<string, FieldSchema>>;
  required: readonly string[];
}

/** Maps `raw` onto canonical argument names and shapes; throws ToolInputError for unknown or conflicting ones. */
export function normalizeArguments(
  tool: ToolShape,
  table: AliasTable,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const canonical = Object.keys(tool.properties);
  const byLooseName = new Map<string, string>();
  for (const name of canonical) byLooseName.set(looseKey(name), name);
  const aliases = new Map(Object.entries(table.names).map(([alias, to]) => [looseKey(alias), to]));
  const expanders = new Map(Object.entries(table.expand ?? {}).map(([alias, f]) => [looseKey(alias), f]));

  const given = new Map<string, { value: unknown; as: string }[]>();
  const add = (field: string, value: unknown, as: string) => {
    // null means "not given": agents send it for optional arguments they mean to leave out.
    if (value === null || value === undefined) return;
    const list = given.get(field) ?? [];
    list.push({ value, as });
    given.set(field, list);
  };
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const loose = looseKey(key);
    const expand = expanders.get(loose);
    const field = byLooseName.get(loose) ?? aliases.get(loose);
    if (field) add(field, value, key);
    else if (expand) {
      if (value === null || value === undefined) continue;
      for (const [f, v] of Object.entries(expand(value))) add(f, v, key);
    } else unknown.push(key);
  }
  if (unknown.length) throw new ToolInputError(unknownMessage(tool, table, unknown));

  const out: Record<string, unknown> = {};
  for (const [field, values] of given) {
    const repaired = values.map(({ value, as }) => ({ as, value: repair(tool, table, field, value) }));
    const first = repaired[0]!;
    const other = repaired.find((r) => !isDeepStrictEqual(r.value, first.value));
    if (other)
      throw new ToolInputError(
        `\`${first.as}\` and \`${other.as}\` both set ${tool.name}'s \`${field}\` with different values: pass only one of them.`,
      );
    out[field] = first.value;
  }
  for (const [from, to] of Object.entries(table.freeTextTo ?? {})) {
    const v = out[from];
    const values = tool.properties[from]?.enum ?? [];
    if (typeof v !== "string" || values.includes(v) || !/\s/.test(v.trim()) || out[to] !== undefined)
      continue;
    delete out[from];
    out[to] = v;
  }
  // A string argument given a list of several items means the list argument (vision_analyze image -> images).
  for (const [from, to] of Object.entries(table.listTo ?? {})) {
    const v = out[from];
    if (!Array.isArray(v)) continue;
    const list = repair(tool, table, to, v);
    if (out[to] !== undefined && !isDeepStrictEqual(out[to], list))
      throw new ToolInputError(
        `\`${from}\` (a list) and \`${to}\` both given to ${tool.name}: put every source in \`${to}\`.`,
      );
    delete out[from];
    out[to] = list;
  }
  return out;
}

/** One value reshaped to its field's listed type where the intent is unambiguous; else left for validation. */
function repair(tool: ToolShape, table: AliasTable, field: string, value: unknown): unknown {
  const schema = tool.properties[field] ?? {};
  const source = table.sources?.includes(field) ?? false;
  const type = schema.type ?? (schema.anyOf ? undefined : "any");
  if (schema.anyOf) return value; // e.g. embed_text texts: a string or a list, both already fine
  switch (type) {
    case "number":
    case "integer":
      return toNumber(value);
    case "boolean":
      return toBoolean(value);
    case "string": {
      let v = source ? unwrapSource(value) : value;
      if (Array.isArray(v)) {
        const items = source ? v.map(unwrapSource) : v;
        const join = table.joinLists?.[field];
        if (join !== undefined && items.every((i) => typeof i === "string")) v = items.join(join);
        else if (items.length === 1) v = items[0];
        else v = items;
      }
      if (
        schema.enum &&
        typeof v === "object" &&
        v !== null &&
        typeof (v as { type?: unknown }).type === "string"
      )
        v = (v as { type: string }).type; // OpenAI's {"type": "json_object"}
      const otherValues = table.values?.[field];
      if (typeof v === "string" && otherValues) {
        const loose = looseKey(v.trim());
        const hit = Object.entries(otherValues).find(([alias]) => looseKey(alias) === loose);
        if (hit) v = hit[1];
      }
      if (typeof v === "string" && schema.enum) {
        const wanted = v.trim().toLowerCase();
        const hit = schema.enum.find((e) => typeof e === "string" && e.toLowerCase() === wanted);
        if (hit !== undefined) v = hit;
      }
      // Model names in any case (GLM's names are all lower case).
      if (field === "model" && typeof v === "string") v = v.trim().toLowerCase();
      return v;
    }
    case "array": {
      let v = value;
      if (typeof v === "string" && /^\s*\[/.test(v)) v = parseJson(v) ?? v;
      if (!Array.isArray(v)) v = [v];
      return source ? (v as unknown[]).map(unwrapSource) : v;
    }
    case "object":
      return typeof value === "string" && /^\s*\{/.test(value) ? (parseJson(value) ?? value) : value;
    default:
      return value;
  }
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
function toNumber(value: unknown): unknown {
  return typeof value === "string" && NUMBER.test(value) ? Number(value) : value;
}

const TRUE = new Set(["true", "yes", "on", "1", "enabled", "enable"]);
const FALSE = new Set(["false", "no", "off", "0", "disabled", "disable"]);
function toBoolean(value: unknown): unknown {
  // OpenAI/Anthropic-style {"type": "enabled"} (GLM's own thinking object, too).
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const t = (value as { type?: unknown }).type;
    if (Object.keys(value).length === 1 && typeof t === "string") return toBoolean(t);
    return value;
  }
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== "string") return value;
  const s = value.trim().toLowerCase();
  return TRUE.has(s) ? true : FALSE.has(s) ? false : value;
}

/** `{url}`, `{path}`, `{data}`, `{image_url: {url}}`, `{video_url: {url}}`… -> the string inside. */
function unwrapSource(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const o = value as Record<string, unknown>;
  for (const key of ["url", "path", "file", "data", "uri", "source"])
    if (typeof o[key] === "string") return o[key];
  for (const key of ["image_url", "video_url", "file_url", "input_audio", "audio_url"])
    if (o[key] !== undefined) return unwrapSource(o[key]);
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function unknownMessage(tool: ToolShape, table: AliasTable, unknown: string[]): string {
  const candidates = [...Object.keys(tool.properties), ...Object.keys(table.names)];
  const parts = unknown.map((key) => {
    const near = nearest(key, candidates);
    if (!near) return `unknown argument \`${key}\``;
    const canonical = table.names[near] ?? near;
    return `unknown argument \`${key}\`: did you mean \`${canonical}\`?`;
  });
  const takes = Object.keys(tool.properties).join(", ");
  return `${parts.join("; ")} (${tool.name} takes ${takes}; nothing was sent).`;
}
