// voice_reply's turn: the user's text and/or recording as content parts, earlier turns with the
// current instructions, and the streamed call with progress counted in audio chunks.
import type { CollectedAnswer } from "../glm/collect.js";
import type { ChatMessage, ChatRequest, ContentPart } from "../glm/types.js";
import { formatDuration, loadAudio } from "../media/audio/input.js";
import type { Conversation } from "../state/conversations.js";
import { streamChat } from "./chat.js";
import type { ToolCall } from "./define-tool.js";
import { decodeJoinedBase64 } from "../media/audio/base64.js";
import { wavFromVoiceStream } from "../media/audio/streamed-wav.js";
import { speechResult, type SpeechResult } from "../output/speech.js";
import type { PcmFormat } from "../util/wav-encode.js";

/** Raw PCM replies are wrapped at the rate of the platform's own sample code (44.1 kHz mono s16). */
export const VOICE_RAW_FORMAT: PcmFormat = { sampleRate: 44_100, channels: 1, bitsPerSample: 16 };

/** "≤ 10 minutes" of input audio [V CN-OAS]. */
export const VOICE_MAX_INPUT_SEC = 10 * 60;
/** Enough for 10 min of 48 kHz mono 16-bit WAV (MP3 is far smaller). */
export const VOICE_MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface VoiceTurnArgs {
  text?: string | undefined;
  audio?: string | undefined;
}

/** Streams the voice reply; progress counts audio chunks and text characters. */
export async function streamVoice(
  call: ToolCall,
  body: ChatRequest,
  heard: string,
): Promise<CollectedAnswer> {
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
export async function userTurn(
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
export function withInstructions(
  previous: Conversation | undefined,
  instructions: string | undefined,
): ChatMessage[] {
  const messages = previous ? previous.messages.filter((m) => !(instructions && m.role === "system")) : [];
  if (instructions) messages.unshift({ role: "system", content: instructions });
  return messages;
}

export const VOICE_CUT_NOTE =
  "[The reply was cut at max_tokens: raise max_tokens (up to 4096) or ask for a shorter answer.]";

/** The reply's speech as a playable WAV in the output dir, or undefined when GLM sent none. */
export async function saveVoiceSpeech(
  call: ToolCall,
  answer: CollectedAnswer,
  inline: boolean | undefined,
): Promise<SpeechResult | undefined> {
  if (!answer.audio?.data) return undefined;
  call.progress.now("saving the speech");
  const wav = wavFromVoiceStream(decodeJoinedBase64(answer.audio.data), VOICE_RAW_FORMAT);
  return speechResult(call.ctx.config.outputDir, "voice-reply", wav, inline);
}
