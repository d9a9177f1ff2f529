// voice_reply: a spoken answer from GLM-4-Voice (POST /chat/completions, model glm-4-voice).
// Text and/or audio in; text plus speech out, the speech saved as a WAV file in the output dir.
import { z } from "zod";
import { ToolInputError } from "../errors.js";
import type { CollectedAnswer } from "../glm/collect.js";
import { findModel } from "../glm/models.js";
import { voiceRequest } from "../glm/requests.js";
import type { ChatMessage, ChatRequest, ContentPart } from "../glm/types.js";
import { decodeJoinedBase64 } from "../media/audio/base64.js";
import { formatDuration, loadAudio } from "../media/audio/input.js";
import { wavFromVoiceStream } from "../media/audio/streamed-wav.js";
import { usageSummary } from "../output/answer.js";
import { usageSchema } from "../output/schemas.js";
import {
  audioFileSchema,
  inlineAudioField,
  speechResult,
  spokenContent,
  type SpeechResult,
} from "../output/speech.js";
import type { Conversation } from "../state/conversations.js";
import type { PcmFormat } from "../util/wav-encode.js";
import { voiceReplyAliases } from "./aliases/voice-reply.js";
import { streamChat } from "./chat.js";
import { defineTool, type ToolCall } from "./define-tool.js";
import { nameString, promptString, sourceString } from "./limits.js";

export const VOICE_REPLY = "voice_reply";
export const VOICE_MODEL = "glm-4-voice";

/** Raw PCM replies are wrapped at the rate of the platform's own sample code (44.1 kHz mono s16). */
const VOICE_RAW_FORMAT: PcmFormat = { sampleRate: 44_100, channels: 1, bitsPerSample: 16 };

/** "≤ 10 minutes" of input audio [V CN-OAS]. */
const VOICE_MAX_INPUT_SEC = 10 * 60;
/** Enough for 10 min of 48 kHz mono 16-bit WAV (MP3 is far smaller). */
const VOICE_MAX_INPUT_BYTES = 64 * 1024 * 1024;

const VOICE_CUT_NOTE =
  "[The reply was cut at max_tokens: raise max_tokens (up to 4096) or ask for a shorter answer.]";

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

interface VoiceTurnArgs {
  text?: string | undefined;
  audio?: string | undefined;
}

/** Streams the voice reply; progress counts audio chunks and text characters. */
async function streamVoice(call: ToolCall, body: ChatRequest, heard: string): Promise<CollectedAnswer> {
  let audioChunks = 0;
  return streamChat(call, body, {
    waiting: `waiting for ${body.model}${heard ? ` (heard ${heard})` : ""}`,
    onChunk: (chunk) => {
      if (chunk.choices?.some((c) => c.delta?.audio?.data))
        call.progress.update(++audioChunks, `receiving speech… ${audioChunks} chunks`);
    },
    onDelta: ({ contentChars }) =>
      call.progress.update(audioChunks + contentChars, `answering… ${contentChars} chars`),
  });
}

/** The new user turn: the text and/or the recording as an input_audio part. */
async function userTurn(
  args: VoiceTurnArgs,
  call: ToolCall,
): Promise<{ parts: ContentPart[]; heard: string }> {
  const parts: ContentPart[] = [];
  if (args.text) parts.push({ type: "text", text: args.text });
  if (!args.audio) return { parts, heard: "" };
  call.progress.now("reading the audio");
  const audio = await loadAudio(args.audio, {
    policy: await call.mediaPolicy(),
    maxBytes: VOICE_MAX_INPUT_BYTES,
    accept: ["wav", "mp3"],
    maxSeconds: VOICE_MAX_INPUT_SEC,
    longerHint: "split it into parts of at most 10 minutes",
  });
  // Bare base64: the platform's own samples send no data: prefix.
  parts.push({
    type: "input_audio",
    input_audio: { data: audio.bytes.toString("base64"), format: audio.format },
  });
  return { parts, heard: `${audio.format.toUpperCase()} ${formatDuration(audio.durationSec)}` };
}

/** Earlier turns, with new instructions (if any) replacing the old system message. */
function withInstructions(
  previous: Conversation | undefined,
  instructions: string | undefined,
): ChatMessage[] {
  const messages = previous ? previous.messages.filter((m) => !(instructions && m.role === "system")) : [];
  if (instructions) messages.unshift({ role: "system", content: instructions });
  return messages;
}

/** The reply's speech as a playable WAV in the output dir, or undefined when GLM sent none. */
async function saveVoiceSpeech(
  call: ToolCall,
  answer: CollectedAnswer,
  inline: boolean | undefined,
): Promise<SpeechResult | undefined> {
  if (!answer.audio?.data) return undefined;
  call.progress.now("saving the speech");
  const wav = wavFromVoiceStream(decodeJoinedBase64(answer.audio.data), VOICE_RAW_FORMAT);
  return speechResult(call.ctx.config.outputDir, "voice-reply", wav, inline);
}
