// What voice_reply and realtime_chat share: the saved-WAV output (file, resource_link, optional
// inline audio block) and its schema.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { PlayableWav } from "../media/audio/wav.js";
import { resourceLink, saveOutputFile, type SavedFile } from "./files.js";

export const audioFileSchema = z
  .object({
    path: z.string().describe("Absolute path of the WAV file in the output directory."),
    uri: z.string().describe("glm://output/<name>: the same file as an MCP resource."),
    name: z.string(),
    mime_type: z.string(),
    duration_s: z.number(),
    sample_rate: z.number().int(),
    channels: z.number().int(),
    bytes: z.number().int(),
  })
  .describe("The spoken reply, saved as a playable WAV file.");

export type AudioFileInfo = z.infer<typeof audioFileSchema>;

export const inlineAudioField = z
  .boolean()
  .optional()
  .describe(
    "Also return the speech as an MCP audio content block (audio/wav, base64) — only if your client plays audio; it costs context. Default false: the WAV file link is enough.",
  );

/** Inline audio blocks above this size are refused in favour of the file (they would flood the context). */
export const MAX_INLINE_AUDIO_BYTES = 4 * 1024 * 1024;

export async function saveWav(
  outputDir: string,
  prefix: string,
  wav: PlayableWav,
): Promise<{ file: SavedFile; info: AudioFileInfo }> {
  const file = await saveOutputFile(outputDir, prefix, "wav", wav.bytes, "audio/wav");
  return {
    file,
    info: {
      path: file.path,
      uri: file.uri,
      name: file.name,
      mime_type: "audio/wav",
      duration_s: Math.round(wav.info.durationSec * 1000) / 1000,
      sample_rate: wav.info.sampleRate,
      channels: wav.info.channels,
      bytes: file.bytes,
    },
  };
}

/** resource_link to the file, plus an inline audio block when asked for and small enough. */
export function audioContent(
  file: SavedFile,
  wav: PlayableWav,
  info: AudioFileInfo,
  inline: boolean | undefined,
): { blocks: CallToolResult["content"]; note?: string } {
  const blocks: CallToolResult["content"] = [
    resourceLink(
      file,
      `Spoken reply, ${info.duration_s} s WAV (${info.sample_rate} Hz, ${info.channels === 1 ? "mono" : `${info.channels} ch`})`,
    ),
  ];
  if (!inline) return { blocks };
  if (wav.bytes.length > MAX_INLINE_AUDIO_BYTES) {
    return {
      blocks,
      note: `[inline_audio skipped: the WAV is ${Math.round(wav.bytes.length / 1024)} KB, over the ${MAX_INLINE_AUDIO_BYTES / 1024 / 1024} MB inline limit; use the file.]`,
    };
  }
  blocks.push({ type: "audio", data: wav.bytes.toString("base64"), mimeType: "audio/wav" });
  return { blocks };
}

export interface SpeechResult {
  /** resource_link (+ inline audio when asked for) blocks. */
  blocks: CallToolResult["content"];
  info: AudioFileInfo;
  /** "Speech: <path> (…)" for the result text. */
  line: string;
  notes: string[];
}

/** Saves the speech as a WAV in the output dir and describes it for the result. */
export async function speechResult(
  outputDir: string,
  prefix: string,
  wav: PlayableWav,
  inline: boolean | undefined,
): Promise<SpeechResult> {
  const saved = await saveWav(outputDir, prefix, wav);
  const out = audioContent(saved.file, wav, saved.info, inline);
  const rate =
    saved.info.sample_rate % 1000 === 0
      ? `${saved.info.sample_rate / 1000} kHz`
      : `${saved.info.sample_rate} Hz`;
  return {
    blocks: out.blocks,
    info: saved.info,
    line: `Speech: ${saved.info.path} (${saved.info.duration_s} s, ${rate} WAV). Play it with ffplay/afplay/aplay, or hand the path on.`,
    notes: out.note ? [out.note] : [],
  };
}

/** The text block of a spoken reply (what was said, the file, notes) followed by the audio blocks. */
export function spokenContent(o: {
  text: string;
  /** Lines between the text and the file line (e.g. what GLM heard). */
  lines?: string[];
  speech: SpeechResult | undefined;
  /** The note when there is no speech. */
  noSpeech: string;
  notes: string[];
}): CallToolResult["content"] {
  const notes = [...(o.speech ? o.speech.notes : [o.noSpeech]), ...o.notes];
  const lines = [o.text, ...(o.lines ?? []), ...(o.speech ? [o.speech.line] : []), ...notes];
  return [{ type: "text", text: lines.join("\n\n") }, ...(o.speech?.blocks ?? [])];
}
