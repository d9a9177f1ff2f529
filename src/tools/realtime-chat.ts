// realtime_chat: one conversational turn with GLM-Realtime over its WebSocket API.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { formatDuration, loadAudio, toRealtimePcm } from "../media/audio/input.js";
import { toPlayableWav } from "../media/audio/wav.js";
import type { AppContext } from "../state/context.js";
import { CancelledError } from "../glm/errors.js";
import { proxyDispatcher } from "../glm/proxy.js";
import {
  REALTIME_INPUT_FORMAT,
  REALTIME_MAX_INPUT_SEC,
  REALTIME_MODELS,
  REALTIME_OUTPUT_FORMAT,
  REALTIME_VOICES,
  realtimeTurn,
  type RealtimeUsage,
} from "../glm/realtime.js";
import { mediaPolicy } from "../media/policy.js";
import { audioContent, audioFileSchema, inlineAudioField, saveWav } from "../output/speech.js";
import { createProgress, type ToolExtra } from "./progress.js";
import { guard, ToolInputError } from "./result.js";
import { promptString, sourceString } from "./limits.js";

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
  inline_audio: inlineAudioField,
};

const usageOut = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  total_tokens: z.number(),
  cached_tokens: z.number(),
  input_audio_tokens: z.number().optional(),
  output_audio_tokens: z.number().optional(),
});

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
  usage: usageOut,
  session_id: z.string().optional(),
};

export const realtimeChatConfig = {
  title: "One turn with GLM-Realtime",
  description: [
    `Have one spoken turn with GLM-Realtime (Zhipu's low-latency voice model, WebSocket API): send a short WAV recording (≤ ${REALTIME_MAX_INPUT_SEC} s) and/or text, get back what it said as a transcript plus its speech as a 24 kHz WAV file (resource_link into the output directory), and what it heard.`,
    "Use when: you want a quick conversational voice answer from GLM-Realtime, to hear how it responds to a recorded utterance, or a specific realtime voice (tongtong, xiaochen, …).",
    "Do not use for: recordings over 30 s or MP3 input (use voice_reply), multi-turn memory (each call is a fresh session), text reasoning (glm_reason).",
    "Cost/latency: the realtime models are priced per token (free for a limited time per the platform); a turn takes a few seconds. Progress notifications are sent while audio streams in.",
  ].join("\n"),
  inputSchema: realtimeChatInput,
  outputSchema: realtimeChatOutput,
  // Like embed_text: the only write is a new file in the server's own output directory.
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: false, destructiveHint: false },
};

type Args = z.infer<z.ZodObject<typeof realtimeChatInput>>;

export async function realtimeChatHandler(
  ctx: AppContext,
  args: Args,
  extra?: ToolExtra,
  server?: McpServer,
): Promise<CallToolResult> {
  const progress = createProgress(extra);
  const model = args.model ?? "glm-realtime-flash";
  try {
    if (!args.text && !args.audio) {
      throw new ToolInputError(
        "realtime_chat needs text, audio or both: pass text (what to say) and/or audio (a WAV path, data: URI or base64).",
      );
    }
    let audioPcm: Buffer | undefined;
    let converted: string | undefined;
    if (args.audio) {
      progress.now("reading the audio");
      const audio = await loadAudio(args.audio, {
        policy: await mediaPolicy(ctx, server, extra?.signal),
        maxBytes: MAX_INPUT_BYTES,
        accept: ["wav"],
        maxSeconds: REALTIME_MAX_INPUT_SEC,
        longerHint: "use voice_reply, which takes up to 10 minutes",
      });
      ({ pcm: audioPcm, converted } = toRealtimePcm(audio, REALTIME_INPUT_FORMAT));
      progress.now(
        `sending ${formatDuration(audio.durationSec)} of audio${converted ? ` (converted ${converted})` : ""}`,
      );
    }

    // GLM limits realtime sessions per account like any other call: hold one slot of the limiter.
    await ctx.glm.limiter.acquire(extra?.signal).catch(() => {
      throw new CancelledError();
    });
    let result;
    let lastPhase: string | undefined;
    try {
      result = await realtimeTurn(
        {
          url: ctx.config.realtimeUrl,
          apiKey: ctx.config.apiKey,
          silenceMs: ctx.config.timeoutMs,
          dispatcher: proxyDispatcher(ctx.config),
          ...(extra?.signal ? { signal: extra.signal } : {}),
          onProgress: (p) => {
            // Phase changes go out at once; growth within a phase is throttled by the reporter.
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
          },
        },
        {
          model,
          ...(args.voice ? { voice: args.voice } : {}),
          ...(args.instructions ? { instructions: args.instructions } : {}),
          ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
          ...(args.text ? { text: args.text } : {}),
          ...(audioPcm ? { audioPcm } : {}),
        },
      );
    } finally {
      ctx.glm.limiter.release();
    }
    const usage = summarizeUsage(result.usage);
    ctx.usage.record(model, {
      prompt_tokens: usage.input_tokens,
      completion_tokens: usage.output_tokens,
      total_tokens: usage.total_tokens,
      prompt_tokens_details: { cached_tokens: usage.cached_tokens },
    });

    const transcript = (result.transcript || result.text).trim();
    const content: CallToolResult["content"] = [];
    const notes: string[] = [];
    let audioInfo;
    if (result.audio.length) {
      const wav = toPlayableWav(result.audio, REALTIME_OUTPUT_FORMAT);
      const saved = await saveWav(ctx.config.outputDir, "realtime", wav);
      audioInfo = saved.info;
      const out = audioContent(saved.file, wav, saved.info, args.inline_audio);
      content.push(...out.blocks);
      if (out.note) notes.push(out.note);
    } else {
      notes.push("[GLM-Realtime sent no speech for this turn.]");
    }
    if (result.status === "incomplete")
      notes.push("[The reply was cut short (status incomplete): ask for a shorter answer.]");
    if (converted) notes.push(`[Input audio converted: ${converted}.]`);

    const lines = [transcript || "(empty reply)"];
    if (result.inputTranscript) lines.push(`Heard: ${result.inputTranscript}`);
    if (audioInfo)
      lines.push(
        `Speech: ${audioInfo.path} (${audioInfo.duration_s} s, 24 kHz WAV). Play it with ffplay/afplay/aplay, or hand the path on.`,
      );
    content.unshift({ type: "text", text: [...lines, ...notes].join("\n\n") });

    return {
      content,
      structuredContent: {
        model,
        transcript,
        ...(result.inputTranscript !== undefined ? { input_transcript: result.inputTranscript } : {}),
        ...(audioInfo ? { audio: audioInfo } : {}),
        status: result.status,
        usage,
        ...(result.sessionId ? { session_id: result.sessionId } : {}),
      },
    };
  } catch (err) {
    if (!(err instanceof ToolInputError)) ctx.usage.recordError(model);
    throw err;
  } finally {
    progress.stop();
  }
}

function summarizeUsage(u: RealtimeUsage | undefined): z.infer<typeof usageOut> {
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

export function registerRealtimeChatTool(server: McpServer, ctx: AppContext): void {
  server.registerTool(REALTIME_CHAT, realtimeChatConfig, (args, extra) =>
    guard(ctx, REALTIME_CHAT, () => realtimeChatHandler(ctx, args, extra, server)),
  );
}
