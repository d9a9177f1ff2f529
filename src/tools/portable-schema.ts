// Input schemas every client accepts. zod's draft-07 output declares `$schema` draft-07 (refused by a
// JSON Schema 2020-12 validator in strict mode) and uses `exclusiveMinimum` and `const` inside
// `anyOf`, which Gemini's function declarations reject (its Schema object has no such fields:
// https://ai.google.dev/api/caching#Schema). The listed schema is rewritten into the common subset;
// the zod schema still validates every call exactly (so `positive()` still refuses 0).

type Json = { [key: string]: unknown };

export function portableSchema(schema: Json): Json {
  const { $schema: _draft, ...rest } = schema;
  return rewrite(rest);
}

function rewrite(node: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "exclusiveMinimum" && typeof value === "number") out.minimum = value;
    else if (key === "exclusiveMaximum" && typeof value === "number") out.maximum = value;
    else if (key === "const") out.enum = [value];
    else if (key === "anyOf" && Array.isArray(value) && constsOfOneType(value))
      Object.assign(out, constsAsEnum(value as Json[]));
    else if (key === "properties" && isObject(value))
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v as Json)]));
    else if ((key === "items" || key === "additionalProperties") && isObject(value))
      out[key] = rewrite(value);
    else if (key === "anyOf" && Array.isArray(value)) out.anyOf = value.map((v) => rewrite(v as Json));
    else out[key] = value;
  }
  return out;
}

/** anyOf [{type: number, const: 256}, ...] → {type: number, enum: [256, ...]} (one type only). */
function constsAsEnum(options: Json[]): Json {
  return { type: options[0]!.type, enum: options.map((o) => o.const) };
}

function constsOfOneType(options: unknown[]): boolean {
  const isConst = (o: unknown): o is Json =>
    isObject(o) && "const" in o && typeof o.type === "string" && Object.keys(o).length === 2;
  return (
    options.length > 0 && options.every(isConst) && new Set(options.map((o) => (o as Json).type)).size === 1
  );
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
