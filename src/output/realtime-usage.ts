// realtime_chat's usage block: GLM-Realtime reports input/output tokens (with audio detail), not
// the prompt/completion fields of chat completions.
import { z } from "zod";
import type { RealtimeUsage } from "../glm/realtime.js";

export const realtimeUsageOut = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  total_tokens: z.number(),
  cached_tokens: z.number(),
  input_audio_tokens: z.number().optional(),
  output_audio_tokens: z.number().optional(),
});

export function realtimeUsageSummary(u: RealtimeUsage | undefined): z.infer<typeof realtimeUsageOut> {
  return {
    input_tokens: u?.input_tokens ?? 0,
    output_tokens: u?.output_tokens ?? 0,
    total_tokens: u?.total_tokens ?? (u?.input_tokens ?? 0) + (u?.output_tokens ?? 0),
    cached_tokens: u?.input_token_details?.cached_tokens ?? 0,
    ...(u?.input_token_details?.audio_tokens !== undefined
      ? { input_audio_tokens: u.input_token_details.audio_tokens }
      : {}),
    ...(u?.output_token_details?.audio_tokens !== undefined
      ? { output_audio_tokens: u.output_token_details.audio_tokens }
      : {}),
  };
}
