// The JSON Schemas tools/list shows: JSON Schema 2020-12 without a `$schema` line, so strict 2020-12
// validators, Gemini's function declarations and OpenAI's tools all take them as they are
// (test/surface/schemas-clients.test.ts holds the rules and their sources).
import { z, type ZodRawShape } from "zod";

export type JsonSchema = Record<string, unknown>;

export function listedSchema(shape: ZodRawShape, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(z.object(shape), {
    target: "draft-2020-12",
    io,
  }) as JsonSchema;
  return schema;
}
