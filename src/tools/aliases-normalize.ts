// Maps the arguments an agent wrote onto a tool's canonical ones, before strict validation: other
// names (aliases.ts), a string for a one-item list, numeric and boolean strings, {type} for thinking,
// OpenAI-style messages, model and enum names in any case. Nothing is dropped: an argument that is
// neither canonical nor an alias, or two that disagree, is an error naming them.
import type { ZodRawShape } from "zod";
import type { $ZodType as ZodType } from "zod/v4/core";
import type { AliasTable } from "./aliases.js";
import { messagesToPrompt } from "./aliases-messages.js";
import { nearestName } from "./aliases-suggest.js";

export type Normalized = { ok: true; args: Record<string, unknown> } | { ok: false; message: string };

type Kind = "number" | "boolean" | "string" | "string-array" | "enum" | "other";

export function normalizeArgs(tool: string, shape: ZodRawShape, table: AliasTable, raw: unknown): Normalized {
  if (raw === undefined || raw === null) raw = {};
  // Not an object: strict validation says so in the SDK's usual words.
  if (typeof raw !== "object" || Array.isArray(raw))
    return { ok: true, args: raw as Record<string, unknown> };
  const canonical = Object.keys(shape);
  const given = new Map<string, [name: string, value: unknown][]>();
  const unknown: string[] = [];
  const add = (target: string, name: string, value: unknown) =>
    given.set(target, [...(given.get(target) ?? []), [name, value]]);

  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (table.messages && name === "messages" && !canonical.includes("messages")) {
      const turns = messagesToPrompt(value);
      if (!turns.ok) return turns;
      add(table.messages.prompt, name, turns.prompt);
      if (turns.system !== undefined) add(table.messages.system, name, turns.system);
    } else if (canonical.includes(name)) add(name, name, value);
    else if (Object.hasOwn(table.names, name)) add(table.names[name]!, name, value);
    else unknown.push(name);
  }
  if (unknown.length) return { ok: false, message: unknownMessage(tool, unknown, canonical, table) };

  const args: Record<string, unknown> = {};
  for (const [target, values] of given) {
    const coerced = values.map(
      ([name, value]) => [name, coerce(target, shape[target]!, table, value)] as const,
    );
    const [first, ...rest] = coerced;
    const other = rest.find(([, v]) => !sameValue(v, first![1]));
    if (other)
      return {
        ok: false,
        message: `\`${first![0]}\` and \`${other[0]}\` both give \`${target}\` but with different values: pass it once, as \`${target}\`.`,
      };
    const movedTo = table.listGoesTo?.[target];
    if (movedTo && Array.isArray(first![1])) {
      if (given.has(movedTo))
        return {
          ok: false,
          message: `\`${first![0]}\` is a list and \`${movedTo}\` is also given: put every item in \`${movedTo}\`.`,
        };
      args[movedTo] = coerce(movedTo, shape[movedTo]!, table, first![1]);
    } else args[target] = first![1];
  }
  return { ok: true, args };
}

function coerce(field: string, schema: ZodType, table: AliasTable, value: unknown): unknown {
  const kinds = kindsOf(schema);
  if (typeof value === "string") {
    const text = value.trim();
    if (kinds.has("number") && !kinds.has("string") && NUMERIC.test(text)) return Number(text);
    if (kinds.has("boolean") && !kinds.has("string") && Object.hasOwn(BOOLEAN_WORDS, text.toLowerCase()))
      return BOOLEAN_WORDS[text.toLowerCase()];
    if (kinds.has("string-array") && !kinds.has("string")) return [value];
    if (kinds.has("enum") && enumValues(schema).includes(value.toLowerCase())) return value.toLowerCase();
    if (field === "model" && kinds.has("string")) return value.toLowerCase();
    return value;
  }
  if (Array.isArray(value) && table.joinLists?.includes(field) && value.every((v) => typeof v === "string"))
    return value.map((v) => v.trim()).join(", ");
  // OpenAI/Anthropic style {"type": "enabled"} for a boolean switch such as thinking.
  if (kinds.has("boolean") && isTypeSwitch(value)) return value.type === "enabled";
  return value;
}

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  false: false,
  enabled: true,
  disabled: false,
  enable: true,
  disable: false,
  on: true,
  off: false,
  yes: true,
  no: false,
};

function isTypeSwitch(value: unknown): value is { type: "enabled" | "disabled" } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const type = (value as { type?: unknown }).type;
  return keys.length === 1 && (type === "enabled" || type === "disabled");
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

interface ZodDef {
  type: string;
  innerType?: ZodType;
  options?: ZodType[];
  element?: ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
}
const defOf = (s: ZodType) => (s as unknown as { _zod: { def: ZodDef } })._zod.def;

/** The JSON kinds a schema accepts (through optional/nullable/default wrappers and unions). */
function kindsOf(schema: ZodType, into = new Set<Kind>()): Set<Kind> {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
      return kindsOf(def.innerType!, into);
    case "union":
      for (const o of def.options ?? []) kindsOf(o, into);
      return into;
    case "literal":
      for (const v of def.values ?? []) into.add(typeof v === "number" ? "number" : "other");
      return into;
    case "enum":
      return into.add("enum");
    case "array":
      return into.add(defOf(def.element!).type === "string" ? "string-array" : "other");
    case "number":
    case "boolean":
    case "string":
      return into.add(def.type);
    default:
      return into.add("other");
  }
}

function enumValues(schema: ZodType): string[] {
  const def = defOf(schema);
  if (def.innerType) return enumValues(def.innerType);
  return def.type === "enum" ? Object.values(def.entries ?? {}).map(String) : [];
}

function unknownMessage(tool: string, unknown: string[], canonical: string[], table: AliasTable): string {
  const list = `Nothing was sent; its arguments are: ${canonical.join(", ")}.`;
  const hint = (name: string) => nearestName(name, canonical, table.names);
  if (unknown.length === 1)
    return `unknown argument \`${unknown[0]}\` for ${tool}: did you mean \`${hint(unknown[0]!)}\`? ${list}`;
  const named = unknown.map((name) => `\`${name}\` (did you mean \`${hint(name)}\`?)`).join(", ");
  return `unknown arguments ${named} for ${tool}. ${list}`;
}
