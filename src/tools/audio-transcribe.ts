// audio_transcribe: speech to text with GLM-ASR (POST /audio/transcriptions, multipart). The audio
// comes through the same intake as voice_reply's (path / URL / data URI / base64, WAV or MP3 read
// from the bytes, duration checked before upload).
import { z } from "zod";
import { formatDuration, loadAudio } from "../media/audio/input.js";
import { resolveModel } from "../glm/models.js";
import { transcribe } from "../glm/transcriptions.js";
import { fittedLink, fitText } from "../output/size.js";
import { nameString, promptString, sourceString } from "./limits.js";
import { audioTranscribeAliases } from "./aliases/audio-transcribe.js";
import { defineTool } from "./define-tool.js";

export const AUDIO_TRANSCRIBE = "audio_transcribe";
export const DEFAULT_ASR_MODEL = "glm-asr-2512";
/** "文件大小 ≤ 25 MB、音频时长 ≤ 30 秒" (OAS L7719). */
export const ASR_MAX_BYTES = 25 * 1024 * 1024;
export const ASR_MAX_SEC = 30;
/** hotwords: "maxItems": 100 (OAS L7744). */
export const MAX_HOTWORDS = 100;

/** What loadAudio checks before upload: GLM-ASR's formats, size and duration. */
const ASR_AUDIO = {
  maxBytes: ASR_MAX_BYTES,
  accept: ["wav", "mp3"] as const,
  maxSeconds: ASR_MAX_SEC,
  longerHint:
    "split it into parts of at most 30 s (e.g. `ffmpeg -i in.wav -f segment -segment_time 30 part%02d.wav`) and transcribe each, passing the previous transcript as prompt",
};

export const audioTranscribeInput = {
  audio: sourceString("audio")
    .min(1)
    .describe(
      "The recording: a local path (absolute, relative to the server's working directory, or ~/...), an http(s) URL, a data: URI, or bare base64. WAV or MP3 (read from the bytes, not the name), at most 30 s and 25 MB.",
    ),
  prompt: promptString("prompt")
    .min(1)
    .optional()
    .describe(
      "Context for the transcriber, e.g. the transcript of the previous part of a long recording (GLM advises under 8000 characters).",
    ),
  hotwords: z
    .array(nameString("each hotword").min(1))
    .max(MAX_HOTWORDS)
    .optional()
    .describe(`Up to ${MAX_HOTWORDS} words to recognise reliably: names, places, product or domain terms.`),
  model: nameString("model").optional().describe(`ASR model (default ${DEFAULT_ASR_MODEL}).`),
};

export const audioTranscribeOutput = {
  model: z.string(),
  text: z.string().describe("The transcript (cut to fit the client when very long; see file)."),
  duration_s: z.number().describe("Length of the recording, read from its bytes."),
  format: z.enum(["wav", "mp3"]),
  id: z.string().optional().describe("GLM's task id."),
  request_id: z.string().optional(),
  truncated: z.boolean().optional().describe("true when text was cut; the whole transcript is in file."),
  file: z.string().optional().describe("Path of the full transcript when text was cut."),
};

const audioTranscribeConfig = {
  title: "Transcribe speech with GLM-ASR",
  description: [
    "Turn a short recording into text with Zhipu's GLM-ASR (Chinese, English and mixed speech): a local WAV/MP3, a URL, a data: URI or base64, up to 30 s and 25 MB. Hotwords improve names and jargon; prompt carries the previous part's transcript.",
    "Use when: you need the exact words of a voice note, a clip or a part of a meeting recording (split longer audio into ≤ 30 s parts and pass each previous transcript as prompt).",
    "Do not use for: a spoken reply or an answer about the audio (voice_reply), a live conversation (realtime_chat), video (video_understand).",
    "Cost/latency: paid per call/duration (GLM-ASR pricing); a few seconds per clip.",
  ].join("\n"),
  inputSchema: audioTranscribeInput,
  outputSchema: audioTranscribeOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true, destructiveHint: false },
};

export const audioTranscribeTool = defineTool({
  name: AUDIO_TRANSCRIBE,
  calls: ["transcription"],
  config: audioTranscribeConfig,
  aliases: audioTranscribeAliases,
  usageModel: (args) => args.model ?? DEFAULT_ASR_MODEL,
  async run(args, call) {
    const { ctx } = call;
    const model = resolveModel(args.model ?? DEFAULT_ASR_MODEL, ["transcription"], ctx.config.region).name;
    call.progress.now("reading the audio");
    const audio = await loadAudio(args.audio, { policy: await call.mediaPolicy(), ...ASR_AUDIO });
    const heard = `${audio.format.toUpperCase()} ${formatDuration(audio.durationSec)}`;
    call.progress.now(`${model} is transcribing ${heard}`);
    const { signal, onRetry } = call;
    const answer = await transcribe(
      ctx.glm,
      {
        file: { bytes: audio.bytes, name: `audio.${audio.format}` },
        model,
        prompt: args.prompt,
        hotwords: args.hotwords,
      },
      { ...(signal ? { signal } : {}), onRetry },
    );
    ctx.usage.record(model, undefined);
    const text = answer.text.trim();
    const fitted = await fitText(ctx.config.outputDir, text, "audio-transcribe");
    return {
      content: [
        {
          type: "text",
          text: `${fitted.text || "(no speech recognised)"}\n\n[Transcribed ${heard} with ${model}.]`,
        },
        ...fittedLink(fitted),
      ],
      structuredContent: {
        model: answer.model ?? model,
        text: fitted.text,
        duration_s: Math.round(audio.durationSec * 1000) / 1000,
        format: audio.format,
        ...(answer.id ? { id: answer.id } : {}),
        ...(answer.request_id ? { request_id: answer.request_id } : {}),
        ...(fitted.truncated ? { truncated: true } : {}),
        ...(fitted.file ? { file: fitted.file.path } : {}),
      },
    };
  },
});
