// voice_reply: a spoken answer from GLM-4-Voice (POST /chat/completions, model glm-4-voice).
// Text and/or audio in; text plus speech out, the speech saved as a WAV file in the output dir.
import { z } from "zod";
import { findModel } from "../glm/models.js";
import { voiceRequest } from "../glm/requests.js";
import { usageSchema } from "../output/schemas.js";
import { nameString, promptString, sourceString } from "./limits.js";
import { ToolInputError } from "../errors.js";
import { usageSummary } from "../output/answer.js";
import { audioFileSchema, inlineAudioField, spokenContent } from "../output/speech.js";
import { voiceReplyAliases } from "./aliases/voice-reply.js";
import { defineTool } from "./define-tool.js";
import { saveVoiceSpeech, streamVoice, userTurn, VOICE_CUT_NOTE, withInstructions } from "./voice-turn.js";

export const VOICE_REPLY = "voice_reply";
export const VOICE_MODEL = "glm-4-voice";

export const voiceReplyInput = {
  text: promptString("text")
    .min(1)
    .optional()
    .describe(
      "What to say to the voice model (a question, a line to read out, a task). Give text, audio, or both.",
    ),
  audio: sourceString("audio")
    .min(1)
    .optional()
    .describe(
      "Speech for the model to hear: a local path (absolute, relative to the server's working directory, or ~/...), an http(s) URL, a data: URI, or bare base64. WAV or MP3 (read from the bytes, not the name), at most 10 minutes.",
    ),
  instructions: promptString("instructions")
    .min(1)
    .optional()
    .describe(
      'How to speak: emotion, tone, speed, dialect, persona (e.g. "cheerful, slowly, in Cantonese"). Sent as the system message; applies to later turns of the conversation too.',
    ),
  conversation_id: nameString("conversation_id")
    .optional()
    .describe(
      "Continue an earlier voice_reply conversation: pass the conversation_id it returned (earlier turns, including the model's own speech, are sent back).",
    ),
  max_tokens: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      "Upper bound of output tokens (glm-4-voice: 4096, higher values are lowered to it; default 1024); speech uses tokens too, so short limits cut the audio.",
    ),
  temperature: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Sampling temperature 0–1 (glm-4-voice default 0.8)."),
  inline_audio: inlineAudioField,
};

export const voiceReplyOutput = {
  model: z.string(),
  text: z.string().describe("What the model said, as text."),
  audio: audioFileSchema.optional(),
  finish_reason: z.string(),
  usage: usageSchema,
  conversation_id: z
    .string()
    .optional()
    .describe("Pass it back to continue; absent only when the shared state store could not keep the turn."),
};

const voiceReplyConfig = {
  title: "Spoken reply from GLM-4-Voice",
  description: [
    "Talk with GLM-4-Voice, Zhipu's end-to-end speech model: give it text and/or a recording (WAV or MP3, ≤ 10 min) and get back its answer as text plus speech, saved as a WAV file (returned as a resource_link into the output directory). It hears and speaks Chinese and English and follows instructions on emotion, tone, speed and dialect.",
    "Use when: you need speech audio produced (read a text aloud, a voice prompt, a spoken answer), or need a recording listened to and answered in speech; continue with conversation_id for multi-turn voice chat.",
    "Do not use for: exact transcripts of long recordings (use an ASR tool), text-only reasoning (glm_reason), a live low-latency turn (realtime_chat).",
    "Cost/latency: paid per token (1 s of input audio = 12.5 tokens); a reply takes a few seconds to ~30 s. The call streams and sends progress notifications.",
  ].join("\n"),
  inputSchema: voiceReplyInput,
  outputSchema: voiceReplyOutput,
  // Not read-only: it adds a new file to the output directory; never overwrites or deletes (so not destructive).
  annotations: { readOnlyHint: false, openWorldHint: true, idempotentHint: false, destructiveHint: false },
};

export const voiceReplyTool = defineTool({
  name: VOICE_REPLY,
  calls: ["voice"],
  config: voiceReplyConfig,
  aliases: voiceReplyAliases,
  usageModel: () => VOICE_MODEL,
  async run(args, call) {
    const { ctx } = call;
    if (!args.text && !args.audio) {
      throw new ToolInputError(
        "voice_reply needs text, audio or both: pass text (what to say) and/or audio (a WAV/MP3 path, data: URI or base64).",
      );
    }
    const previous = await ctx.conversations.resume(args.conversation_id, VOICE_REPLY);
    const { parts, heard } = await userTurn(args, call);
    const messages = withInstructions(previous, args.instructions);
    messages.push({ role: "user", content: parts });
    const { body, notes: adjusted } = voiceRequest(findModel(VOICE_MODEL)!, messages, args);
    const answer = await streamVoice(call, body, heard);
    const text = answer.content.trim();
    const speech = await saveVoiceSpeech(call, answer, args.inline_audio);

    // The assistant turn goes back with its audio id so the next turn can refer to what was said.
    const audioRef = answer.audio?.id ? { audio: { id: answer.audio.id } } : {};
    messages.push({ role: "assistant", content: answer.content, ...audioRef });
    const kept = await ctx.conversations.keep(previous?.id, VOICE_REPLY, VOICE_MODEL, messages);
    return {
      content: spokenContent({
        text: text || "(no text in the reply)",
        speech,
        noSpeech: "[GLM returned no speech for this turn, only text.]",
        notes: [
          ...adjusted,
          ...(answer.finishReason === "length" ? [VOICE_CUT_NOTE] : []),
          ...(kept.note ? [kept.note] : []),
        ],
      }),
      structuredContent: {
        model: answer.model ?? VOICE_MODEL,
        text,
        ...(speech ? { audio: speech.info } : {}),
        finish_reason: answer.finishReason || "stop",
        usage: usageSummary(answer.usage),
        ...(kept.id ? { conversation_id: kept.id } : {}),
      },
    };
  },
});
