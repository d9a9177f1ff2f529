// Request validation against the platform's own OpenAPI document (openapi-2026-07-11.json, OAS
// 3.0.1). The copy in spec/ is vendored so CI never depends on ../shared; a unit test keeps it
// byte-identical to ../shared/glm-api/openapi-2026-07-11.json whenever that file exists.
//
// How OAS 3.0 is fed to ajv (draft-07 engine), and why:
// - The whole document is added once under SPEC_ID and each requestBody schema is compiled from its
//   JSON pointer, so `$ref: "#/components/schemas/…"` resolves against the document itself.
// - `nullable` is an OAS keyword ajv implements natively (so is `deprecated`); `example` is an OAS
//   annotation registered as vocabulary so strict mode does not stop on them.
// - Formats `float`, `int64`, `binary`, `byte`, `json`, `wav` are OAS type hints, not JSON Schema
//   formats: registered as always-true (the type keyword beside them already does the checking).
// - `strict: false` only for strictTypes/strictTuples: the document writes `oneOf` branches whose
//   types live inside the branches (e.g. `input`), which ajv's strictTypes would refuse to compile.
// - The `model` enum is dropped from the chat and embeddings schemas: the fake serves both regions,
//   and the model is checked first against the fake's catalog (models.ts: CN 2026 enum plus the
//   Z.AI names glm-4.5 / glm-4.5-x / glm-4.5v), answering GLM's 1211 rather than a schema 1214.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { FakeApiError, messageForCode } from "./errors.js";

export const SPEC_FILE = new URL("./spec/openapi-2026-07-11.json", import.meta.url);
const SPEC_ID = "glm-openapi";

/** The requestBody schemas the fake serves, by JSON pointer into the document. */
const POINTERS = {
  chatText: "#/components/schemas/ChatCompletionTextRequest",
  chatVision: "#/components/schemas/ChatCompletionVisionRequest",
  chatAudio: "#/components/schemas/ChatCompletionAudioRequest",
  embeddings: "#/components/schemas/EmbeddingCreateRequest",
  // POST /paas/v4/files/parser/sync: an inline multipart schema (the form fields as an object),
  // copied under this name by loadSpec().
  parserSync: "#/components/schemas/FakeParserSyncForm",
  // POST /paas/v4/web_search and /paas/v4/reader (web.ts).
  webSearch: "#/components/schemas/WebSearchRequest",
  reader: "#/components/schemas/ReaderRequest",
  images: "#/components/schemas/CreateImageRequest",
  // POST /paas/v4/audio/transcriptions: multipart, its form fields checked as an object.
  transcriptions: "#/components/schemas/AudioTranscriptionRequest",
  // POST /paas/v4/layout_parsing (GLM-OCR) and POST /paas/v4/rerank: named schemas, model enums kept
  // (one model each, so a wrong name is answered 1211 by the route before the schema is checked).
  layoutParsing: "#/components/schemas/LayoutParsingRequest",
  rerank: "#/components/schemas/RerankRequest",
} as const;

export type SpecSchema = keyof typeof POINTERS;

type Json = Record<string, unknown>;

/** The part ajv compiles: `{ $id, components }` (the paths and info are not JSON Schema). */
function loadSpec(): Json {
  const spec = JSON.parse(readFileSync(SPEC_FILE, "utf8")) as Json;
  const schemas = (spec.components as Json).schemas as Record<string, Json>;
  const paths = spec.paths as Record<string, Record<string, Json>>;
  const parser = paths["/paas/v4/files/parser/sync"]!.post!.requestBody as Json;
  schemas.FakeParserSyncForm = ((parser.content as Json)["multipart/form-data"] as Json).schema as Json;
  for (const name of [
    "ChatCompletionTextRequest",
    "ChatCompletionVisionRequest",
    "ChatCompletionAudioRequest",
    "EmbeddingCreateRequest",
  ]) {
    const model = (schemas[name]!.properties as Record<string, Json>).model!;
    delete model.enum;
  }
  return { $id: SPEC_ID, components: { schemas } };
}

function compileAll(): Record<SpecSchema, ValidateFunction> {
  const ajv = new Ajv({ strict: true, strictTypes: false, strictTuples: false, allErrors: true });
  ajv.addVocabulary(["example", "components"]);
  for (const f of ["float", "int64", "binary", "byte", "json", "wav", "uri"]) ajv.addFormat(f, true);
  ajv.addSchema(loadSpec(), undefined, undefined, false);
  const out = {} as Record<SpecSchema, ValidateFunction>;
  for (const [key, pointer] of Object.entries(POINTERS)) {
    out[key as SpecSchema] = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
  }
  return out;
}

let validators: Record<SpecSchema, ValidateFunction> | undefined;

/** Compiles every schema once (call at fake start-up so the first request does not pay for it). */
export function specValidators(): Record<SpecSchema, ValidateFunction> {
  validators ??= compileAll();
  return validators;
}

/** Validates a request body; throws GLM's 1213 (missing field) or 1214 (illegal field) on failure. */
export function checkAgainstSpec(schema: SpecSchema, body: unknown): void {
  const validate = specValidators()[schema];
  if (validate(body)) return;
  throw specError(validate.errors ?? []);
}

/** `/messages/0/content/1/type` -> `messages[0].content[1].type` (the way GLM names fields). */
export function fieldName(instancePath: string, extra?: string): string {
  const parts = instancePath.split("/").filter(Boolean);
  if (extra) parts.push(extra);
  let out = "";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || "body";
}

/**
 * One error for the client, from ajv's list: a missing required field is 1213, anything else
 * 1214 naming the field (the error table's two parameter codes). oneOf produces one error per
 * branch; the deepest error of the branch the client meant names the field it got wrong.
 */
export function specError(errors: ErrorObject[]): FakeApiError {
  let pool = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
  if (pool.length === 0) pool = errors;
  // A oneOf branch whose `type` / `role` differs from what the client sent is not the branch it
  // meant: drop what that branch reported, except the discriminator mismatch itself (which names
  // the field when no branch matched at all).
  const isDiscriminator = (e: ErrorObject) => e.keyword === "enum" && /\/(type|role)$/.test(e.instancePath);
  const rejected = pool
    .filter(isDiscriminator)
    .map((e) => /^(.*\/oneOf\/\d+\/)properties\/(type|role)\/enum$/.exec(e.schemaPath)?.[1])
    .filter((p): p is string => p !== undefined);
  pool = pool.filter((e) => isDiscriminator(e) || !rejected.some((p) => e.schemaPath.startsWith(p)));
  // Deepest wins; at equal depth a real error beats a "this is not that branch" mismatch.
  const depth = (e: ErrorObject) =>
    e.instancePath.split("/").length + (e.keyword === "required" ? 1 : 0) + (isDiscriminator(e) ? 0 : 0.5);
  const err = pool.reduce((a, b) => (depth(b) > depth(a) ? b : a), pool[0]!);
  if (err.keyword === "required") {
    const missing = (err.params as { missingProperty: string }).missingProperty;
    return new FakeApiError(400, "1213", messageForCode("1213", fieldName(err.instancePath, missing)));
  }
  // Every oneOf branch names its own discriminator value: list them all.
  const allowed =
    err.keyword === "enum"
      ? [
          ...new Set(
            pool
              .filter((e) => e.keyword === "enum" && e.instancePath === err.instancePath)
              .flatMap((e) => (e.params as { allowedValues: unknown[] }).allowedValues),
          ),
        ]
      : undefined;
  const detail = allowed ? `取值为 ${allowed.join("、")}` : (err.message ?? "invalid");
  return new FakeApiError(400, "1214", `${messageForCode("1214", fieldName(err.instancePath))}（${detail}）`);
}
