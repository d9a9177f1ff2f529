// Every listed tool schema is one that strict JSON Schema 2020-12 validators, Gemini's function
// declarations and OpenAI's (non-strict) tools accept as it is.
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY } from "../fake-glm/index.js";
import { connect, type TestSession } from "../helpers/mcp.js";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";

/**
 * Gemini's Schema object (generativelanguage v1beta, "a select subset of an OpenAPI 3.0 schema
 * object"): exactly these fields, `type` one name, `enum` a list of strings. Source: the Schema
 * message of @google-ai/generativelanguage v1beta,
 * https://docs.cloud.google.com/nodejs/docs/reference/generativelanguage/latest/generativelanguage/protos.google.ai.generativelanguage.v1beta.ischema
 * (no const, exclusiveMinimum/Maximum, oneOf/allOf/not, $ref/$defs, $schema, additionalProperties,
 * prefixItems there).
 */
const GEMINI_FIELDS = new Set([
  "type",
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "maxItems",
  "minItems",
  "properties",
  "required",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "example",
  "anyOf",
  "propertyOrdering",
  "default",
  "items",
  "minimum",
  "maximum",
]);
const GEMINI_TYPES = new Set(["string", "number", "integer", "boolean", "array", "object"]);

/** Every way `schema` (at `at`) leaves Gemini's subset. */
export function geminiViolations(schema: unknown, at = "$"): string[] {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return [`${at}: not an object`];
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(s)) if (!GEMINI_FIELDS.has(key)) out.push(`${at}: keyword ${key}`);
  if (s.type !== undefined && !(typeof s.type === "string" && GEMINI_TYPES.has(s.type)))
    out.push(`${at}: type ${JSON.stringify(s.type)}`);
  if (s.enum !== undefined) {
    if (s.type !== "string") out.push(`${at}: enum on type ${String(s.type)}`);
    if (!Array.isArray(s.enum) || s.enum.some((e) => typeof e !== "string"))
      out.push(`${at}: non-string enum`);
  }
  if (s.type === undefined && s.anyOf === undefined) out.push(`${at}: no type`);
  for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, unknown>))
    out.push(...geminiViolations(sub, `${at}.${name}`));
  if (s.items !== undefined) out.push(...geminiViolations(s.items, `${at}[]`));
  for (const [i, sub] of ((s.anyOf ?? []) as unknown[]).entries())
    out.push(...geminiViolations(sub, `${at}|${i}`));
  for (const r of (s.required ?? []) as string[])
    if (!(r in ((s.properties ?? {}) as object))) out.push(`${at}: required ${r} not a property`);
  return out;
}

/**
 * OpenAI function parameters: "schema must have type 'object' and not have
 * 'oneOf'/'anyOf'/'allOf'/'enum'/'not' at the top level" (OpenAI's error text, quoted in
 * https://github.com/cecli-dev/cecli/issues/281).
 */
export function openAiViolations(schema: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (schema.type !== "object") out.push("top level is not type object");
  for (const k of ["oneOf", "anyOf", "allOf", "enum", "not"]) if (k in schema) out.push(`top-level ${k}`);
  return out;
}

let s: TestSession;
let tools: Tool[];
beforeAll(async () => {
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4" });
  tools = (await s.client.listTools()).tools;
});
afterAll(() => s.close());

describe("listed schemas every client accepts", () => {
  it("the rule checkers catch what the issue reported (draft-07 $schema, const in anyOf, exclusiveMinimum)", () => {
    const old = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: {
        dimensions: { anyOf: [{ type: "number", const: 256 }] },
        width: { type: "number", exclusiveMinimum: 0 },
        n: { type: "integer", enum: [1, 2] },
      },
    };
    expect(geminiViolations(old)).toEqual([
      "$: keyword $schema",
      "$.dimensions|0: keyword const",
      "$.width: keyword exclusiveMinimum",
      "$.n: enum on type integer",
      "$.n: non-string enum",
    ]);
    expect(() => new Ajv2020({ strict: true }).compile(old)).toThrow(/draft-07/);
    expect(openAiViolations({ anyOf: [] })).toEqual(["top level is not type object", "top-level anyOf"]);
  });

  it("each input and output schema compiles as JSON Schema 2020-12 in ajv's strict mode", () => {
    expect(tools.length).toBe(TOOL_DEFINITIONS.length);
    for (const t of tools) {
      const ajv = new Ajv2020({ strict: true, allErrors: true });
      expect(() => ajv.compile(t.inputSchema), t.name).not.toThrow();
      expect(() => new Ajv2020({ strict: true }).compile(t.outputSchema!), t.name).not.toThrow();
      expect(t.inputSchema).not.toHaveProperty("$schema");
    }
  });

  it("each input schema is inside Gemini's function-declaration subset", () => {
    for (const t of tools) expect(geminiViolations(t.inputSchema), t.name).toEqual([]);
  });

  it("each input schema is a valid OpenAI function parameters object", () => {
    for (const t of tools) expect(openAiViolations(t.inputSchema), t.name).toEqual([]);
  });

  it("tools that add files to the output directory are not read-only, and never destructive", () => {
    const writers = ["embed_text", "vision_locate", "voice_reply", "realtime_chat", "image_generate"];
    for (const t of tools) {
      expect(t.annotations?.readOnlyHint, t.name).toBe(!writers.includes(t.name));
      expect(t.annotations?.destructiveHint, t.name).toBe(false);
    }
  });
});
