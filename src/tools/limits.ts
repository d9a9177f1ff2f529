// Caps on tool arguments, in one place. Each is far above any real use and far below what would
// hurt: a runaway argument is refused at validation with a clear message instead of being held,
// decoded or sent to GLM. (Media bytes read and image pixels decoded are capped in src/media/.)
import { z } from "zod";

/**
 * Prompt-like text (prompt, system, instructions, text). 1,000,000 characters is several times
 * the largest GLM context window (200k tokens), so anything longer can only fail upstream, slowly
 * and at a cost.
 */
export const MAX_PROMPT_CHARS = 1_000_000;

/**
 * One media source string (path, URL, data: URI or bare base64). 128 Mi characters is base64 of
 * 96 MiB, about the default read cap (GLM_MCP_MEDIA_MAX_MB = 100); bigger media go by path or URL.
 */
export const MAX_SOURCE_CHARS = 128 * 1024 * 1024;

/** Names and ids (model, conversation_id). */
export const MAX_NAME_CHARS = 256;

/**
 * JSON values in one tool call's arguments, counted by the SDK before validation (embed_text's
 * 10,000 texts fit with room to spare). Refuses argument objects built to exhaust memory or CPU.
 */
export const MAX_TOOL_INPUT_ELEMENTS = 50_000;

// Thousands with commas, as toLocaleString("en-US") writes them, without starting ICU (~12 ms).
const chars = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** Prompt-like text field with the shared cap. */
export function promptString(field: string) {
  return z
    .string()
    .max(
      MAX_PROMPT_CHARS,
      `${field} is longer than ${chars(MAX_PROMPT_CHARS)} characters, more than any GLM model's context window holds: shorten it or send only the relevant part`,
    );
}

/** Media source field with the shared cap. */
export function sourceString(field: string) {
  return z
    .string()
    .max(
      MAX_SOURCE_CHARS,
      `${field} is longer than ${chars(MAX_SOURCE_CHARS)} characters: pass large media as a local path or an http(s) URL instead of inline base64`,
    );
}

/** Name or id field with the shared cap. */
export function nameString(field: string) {
  return z
    .string()
    .max(
      MAX_NAME_CHARS,
      `${field} is longer than ${MAX_NAME_CHARS} characters: pass the exact name or id you were given`,
    );
}
