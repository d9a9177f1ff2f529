// realtime_chat's result: transcript, what GLM heard, the speech as a WAV file, and the usage block
// (GLM-Realtime reports input/output tokens with audio detail, not chat-completion fields).
import { z } from "zod";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { REALTIME_OUTPUT_FORMAT, type RealtimeTurnResult, type RealtimeUsage } from "../glm/realtime.js";
import { toPlayableWav } from "../media/audio/wav.js";
import { speechResult, spokenContent } from "./speech.js";
import type { Usage } from "../glm/types.js";

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

/** The same usage in chat-completion terms, for glm://usage. */
export function asChatUsage(u: z.infer<typeof realtimeUsageOut>): Usage {
  return {
    prompt_tokens: u.input_tokens,
    completion_tokens: u.output_tokens,
    total_tokens: u.total_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens },
  };
}

export interface RealtimeResultInput {
  model: string;
  result: RealtimeTurnResult;
  /** How the input audio was converted, if it was. */
  converted?: string | undefined;
  inline: boolean | undefined;
}

export async function realtimeResult(
  outputDir: string,
  o: RealtimeResultInput,
): Promise<{ result: CallToolResult; usage: z.infer<typeof realtimeUsageOut> }> {
  const { model, result: turn, converted } = o;
  const usage = realtimeUsageSummary(turn.usage);

  const transcript = (turn.transcript || turn.text).trim();
  const speech = turn.audio.length
    ? await speechResult(outputDir, "realtime", toPlayableWav(turn.audio, REALTIME_OUTPUT_FORMAT), o.inline)
    : undefined;
  const notes: string[] = [];
  if (turn.status === "incomplete")
    notes.push("[The reply was cut short (status incomplete): ask for a shorter answer.]");
  if (converted) notes.push(`[Input audio converted: ${converted}.]`);
  notes.push(...turn.notes);
  const result: CallToolResult = {
    content: spokenContent({
      text: transcript || "(empty reply)",
      lines: [
        ...(turn.inputTranscript ? [`Heard: ${turn.inputTranscript}`] : []),
        ...turn.searches.map(
          (x) => `Searched the web (auto_search)${x.description ? `: ${x.description}` : ""}`,
        ),
      ],
      speech,
      noSpeech: "[GLM-Realtime sent no speech for this turn.]",
      notes,
    }),
    structuredContent: {
      model,
      transcript,
      ...(turn.inputTranscript !== undefined ? { input_transcript: turn.inputTranscript } : {}),
      ...(speech ? { audio: speech.info } : {}),
      status: turn.status,
      usage,
      ...(turn.sessionId ? { session_id: turn.sessionId } : {}),
      ...(turn.searches.length ? { searches: turn.searches } : {}),
    },
  };
  return { result, usage };
}
