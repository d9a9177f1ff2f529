// Output schema pieces shared by several tools.
import { z } from "zod";

export const usageSchema = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
  cached_tokens: z.number(),
  reasoning_tokens: z.number().optional(),
});

/**
 * glm_reason's parsed json_object answer: an object with any members. Typed, because strict schema
 * checkers (Inspector --strict) warn on a property with no validation keyword.
 */
export const jsonObjectAnswer = z
  .looseObject({})
  .meta({ additionalProperties: true })
  .optional()
  .describe("The parsed JSON object answer when response_format is json_object.");
