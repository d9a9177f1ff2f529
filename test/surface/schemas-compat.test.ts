// Every listed input schema is one every client accepts: valid JSON Schema 2020-12 (Ajv strict mode),
// no draft-07 `$schema`, and only the keywords Gemini function declarations take
// (https://ai.google.dev/api/caching#Schema: type, description, enum, properties, required, items,
// minimum/maximum, min/maxItems, min/maxLength, nullable, format, anyOf, pattern), with no `const`
// and no `exclusiveMinimum`. Tools that write files say so in their annotations.
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY } from "../fake-glm/index.js";
import { connect, type TestSession } from "../helpers/mcp.js";
import { portableSchema } from "../../src/tools/portable-schema.js";

const GEMINI_KEYWORDS = new Set([
  "type",
  "description",
  "enum",
  "properties",
  "required",
  "items",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "nullable",
  "format",
  "anyOf",
  "pattern",
  "title",
]);

let s: TestSession;
let tools: Tool[];
beforeAll(async () => {
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4" });
  tools = (await s.client.listTools()).tools;
});
afterAll(() => s.close());

/** Every keyword used anywhere in a schema, with where it is. */
function keywords(node: unknown, at: string, out: [string, string][] = []): [string, string][] {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return out;
  for (const [key, value] of Object.entries(node)) {
    out.push([key, at]);
    if (key === "properties")
      for (const [name, sub] of Object.entries(value as object)) keywords(sub, `${at}.${name}`, out);
    else if (key === "items") keywords(value, `${at}[]`, out);
    else if (key === "anyOf") (value as unknown[]).forEach((sub, i) => keywords(sub, `${at}|${i}`, out));
  }
  return out;
}

describe("input schemas every client accepts", () => {
  it("lists all eight tools", () => {
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "document_analyze",
        "embed_text",
        "glm_reason",
        "realtime_chat",
        "video_understand",
        "vision_analyze",
        "vision_locate",
        "voice_reply",
      ].sort(),
    );
  });

  it("compile as JSON Schema 2020-12 in Ajv strict mode, without a draft-07 $schema", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    for (const t of tools) {
      expect(t.inputSchema, t.name).not.toHaveProperty("$schema");
      expect(() => ajv.compile(t.inputSchema), t.name).not.toThrow();
    }
  });

  it("use only keywords Gemini function declarations accept (no const, no exclusiveMinimum)", () => {
    for (const t of tools) {
      const bad = keywords(t.inputSchema, t.name).filter(([k]) => !GEMINI_KEYWORDS.has(k));
      expect(bad, t.name).toEqual([]);
      for (const [, at] of keywords(t.inputSchema, t.name).filter(([k]) => k === "anyOf"))
        expect(at).not.toMatch(/const/);
    }
  });

  it("a union of constants becomes an enum, exclusiveMinimum a minimum", () => {
    const embed = tools.find((t) => t.name === "embed_text")!;
    expect((embed.inputSchema.properties as Record<string, unknown>).dimensions).toMatchObject({
      type: "number",
      enum: [256, 512, 1024, 2048],
    });
    expect(
      portableSchema({
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        properties: { w: { type: "number", exclusiveMinimum: 0 }, k: { const: "x" } },
      }),
    ).toEqual({ type: "object", properties: { w: { type: "number", minimum: 0 }, k: { enum: ["x"] } } });
  });

  it("tools that write files are not read-only, and destroy nothing", () => {
    for (const name of ["voice_reply", "realtime_chat", "vision_locate", "embed_text"]) {
      const t = tools.find((x) => x.name === name)!;
      expect(t.annotations, name).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    }
  });
});
