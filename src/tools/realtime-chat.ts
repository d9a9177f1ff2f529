// realtime_chat: one conversational turn with GLM-Realtime over its WebSocket API.
import { z } from "zod";
import { ToolInputError } from "../errors.js";
import {
  REALTIME_INPUT_FORMAT,
  REALTIME_MAX_INPUT_SEC,
  REALTIME_MODELS,
  REALTIME_OUTPUT_FORMAT,
  REALTIME_VOICES,
  type RealtimeProgress,
  type RealtimeTurnRequest,
} from "../glm/realtime.js";
import { formatDuration, loadAudio, toRealtimePcm } from "../media/audio/input.js";
import { asChatUsage, realtimeResult, realtimeUsageOut } from "../output/realtime.js";
import { audioFileSchema, inlineAudioField } from "../output/speech.js";
import { realtimeChatAliases } from "./aliases/realtime-chat.js";
import { defineTool, type ToolCall } from "./define-tool.js";
import { promptString, sourceString } from "./limits.js";
import type { ProgressReporter } from "./progress.js";

export const REALTIME_CHAT = "realtime_chat";

/** 30 s of 48 kHz stereo 32-bit audio, with room to spare. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export const realtimeChatInput = {
  text: promptString("text")
    .min(1)
    .optional()
    .describe("What to say to the model, as text. Give text, audio, or both."),
  audio: sourceString("audio")
    .min(1)
    .optional()
    .describe(
      `Speech for the model to hear: a WAV file as a local path, http(s) URL, data: URI or bare base64; at most ${REALTIME_MAX_INPUT_SEC} s. Any sample rate, channel count and PCM/float bit depth is converted to the 16 kHz mono 16-bit the API takes; MP3 is refused (use voice_reply).`,
    ),
  instructions: promptString("instructions")
    .min(1)
    .optional()
    .describe("System instructions: persona, tone, language, how long to talk."),
  voice: z
    .enum(REALTIME_VOICES)
    .optional()
    .describe(
      "Voice of the reply: tongtong (default, female), xiaochen (male), female-tianmei, female-shaonv, male-qn-daxuesheng, male-qn-jingying, lovely_girl.",
    ),
  model: z
    .enum(REALTIME_MODELS)
    .optional()
    .describe("glm-realtime-flash (default, faster) or glm-realtime-air (stronger)."),
  temperature: z.number().min(0).max(1).optional().describe("Sampling temperature 0–1."),
  auto_search: z
    .boolean()
    .optional()
    .describe(
      "Let GLM-Realtime search the web by itself when the question needs current facts (default true, the platform's default); each search is reported in the result. false for answers from the model alone.",
    ),
  inline_audio: inlineAudioField,
};

export const realtimeChatOutput = {
  model: z.string(),
  transcript: z.string().describe("What the model said (transcript of its speech, or its text reply)."),
  input_transcript: z
    .string()
    .optional()
    .describe(
      "What GLM heard in the input audio (its own speech recognition; may differ slightly from what the model understood).",
    ),
  audio: audioFileSchema.optional(),
  status: z.string().describe("response.done status: completed, or incomplete when cut short."),
  usage: realtimeUsageOut,
  session_id: z.string().optional(),
  searches: z
    .array(z.object({ description: z.string(), citation: z.string().optional() }))
    .optional()
    .describe(
      "Web searches GLM-Realtime ran in this turn (auto_search): its stalling line, citations when sent.",
    ),
};

const realtimeChatConfig = {
  title: "One turn with GLM-Realtime",
  description: [
    `Have one spoken turn with GLM-Realtime (Zhipu's low-latency voice model, WebSocket API): send a short WAV recording (≤ ${REALTIME_MAX_INPUT_SEC} s) and/or text, get back what it said as a transcript plus its speech as a 24 kHz WAV file (resource_link into the output directory), and what it heard.`,
    "Use when: you want a quick conversational voice answer from GLM-Realtime, to hear how it responds to a recorded utterance, or a specific realtime voice (tongtong, xiaochen, …).",
    "Do not use for: recordings over 30 s or MP3 input (use voice_reply), multi-turn memory (each call is a fresh session), text reasoning (glm_reason).",
    "Cost/latency: the realtime models are priced per token (free for a limited time per the platform); a turn takes a few seconds. Progress notifications are sent while audio streams in.",
  ].join("\n"),
  inputSchema: realtimeChatInput,
  outputSchema: realtimeChatOutput,
  // Not read-only: it adds a new file to the output directory; never overwrites or deletes (so not destructive).
  annotations: { readOnlyHint: false, openWorldHint: true, idempotentHint: false, destructiveHint: false },
};

export const realtimeChatTool = defineTool({
  name: REALTIME_CHAT,
  calls: ["realtime"],
  config: realtimeChatConfig,
  aliases: realtimeChatAliases,
  usageModel: (args) => args.model ?? "glm-realtime-flash",
  async run(args, call) {
    const { ctx } = call;
    const model = args.model ?? "glm-realtime-flash";
    if (!args.text && !args.audio) {
      throw new ToolInputError(
        "realtime_chat needs text, audio or both: pass text (what to say) and/or audio (a WAV path, data: URI or base64).",
      );
    }
    const { audioPcm, converted } = args.audio ? await readRealtimeAudio(args.audio, call) : {};
    const result = await ctx.glm.realtimeTurn(turnRequest(args, model, audioPcm), {
      signal: call.signal,
      onProgress: turnProgress(call.progress, model),
    });
    const shaped = await realtimeResult(ctx.config.outputDir, {
      model,
      result,
      converted,
      inline: args.inline_audio,
    });
    ctx.usage.record(model, asChatUsage(shaped.usage));
    return shaped.result;
  },
});

/** The recording as the 16 kHz mono PCM the API takes, and what conversion that needed. */
async function readRealtimeAudio(
  source: string,
  call: ToolCall,
): Promise<{ audioPcm: Buffer; converted?: string }> {
  call.progress.now("reading the audio");
  const audio = await loadAudio(source, {
    policy: await call.mediaPolicy(),
    maxBytes: MAX_INPUT_BYTES,
    accept: ["wav"],
    maxSeconds: REALTIME_MAX_INPUT_SEC,
    longerHint: "use voice_reply, which takes up to 10 minutes",
  });
  const { pcm, converted } = toRealtimePcm(audio, REALTIME_INPUT_FORMAT);
  call.progress.now(
    `sending ${formatDuration(audio.durationSec)} of audio${converted ? ` (converted ${converted})` : ""}`,
  );
  return { audioPcm: pcm, ...(converted ? { converted } : {}) };
}

/** Realtime phases as progress: phase changes at once, growth within a phase throttled. */
function turnProgress(progress: ProgressReporter, model: string): (p: RealtimeProgress) => void {
  let lastPhase: string | undefined;
  return (p) => {
    const changed = p.phase !== lastPhase;
    lastPhase = p.phase;
    if (p.phase === "sending" && p.framesTotal)
      progress.update(
        p.framesSent,
        `sending audio… ${p.framesSent}/${p.framesTotal} frames`,
        undefined,
        changed,
      );
    else if (p.phase === "receiving") {
      const secs = p.audioBytes / (REALTIME_OUTPUT_FORMAT.sampleRate * 2);
      progress.update(
        p.framesTotal + Math.floor(secs * 10),
        `receiving speech… ${secs.toFixed(1)} s`,
        undefined,
        changed,
      );
    } else if (changed)
      progress.now(p.phase === "connecting" ? `connecting to ${model}` : `waiting for ${model}`);
  };
}

interface RealtimeTurnArgs {
  voice?: string | undefined;
  instructions?: string | undefined;
  temperature?: number | undefined;
  text?: string | undefined;
  auto_search?: boolean | undefined;
}

/** The turn as the realtime client takes it: only the options the caller gave. */
function turnRequest(args: RealtimeTurnArgs, model: string, audioPcm?: Buffer): RealtimeTurnRequest {
  return {
    model,
    ...(args.voice ? { voice: args.voice } : {}),
    ...(args.instructions ? { instructions: args.instructions } : {}),
    ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
    ...(args.text ? { text: args.text } : {}),
    ...(args.auto_search !== undefined ? { autoSearch: args.auto_search } : {}),
    ...(audioPcm ? { audioPcm } : {}),
  };
}
