// Speech to text: POST /audio/transcriptions (OAS L847; multipart AudioTranscriptionRequest L7711,
// answer AudioTranscriptionResponse L7764: {id, created, request_id, model, text}; no segments in
// the spec). Non-streaming only (stream=false): a ≤ 30 s clip answers in seconds.
import type { CallOptions, GlmClient } from "./client.js";
import { InvalidResponseError } from "./errors.js";
import { fileForm, type FormFile } from "./form.js";

export interface TranscriptionRequest {
  file: FormFile;
  model: string;
  /** Earlier transcript as context ("建议小于8000字"). */
  prompt?: string | undefined;
  /** Domain words to favour (≤ 100, spec maxItems). */
  hotwords?: readonly string[] | undefined;
}

export interface TranscriptionResponse {
  id?: string;
  created?: number;
  request_id?: string;
  model?: string;
  text?: string;
}

export async function transcribe(
  client: GlmClient,
  req: TranscriptionRequest,
  opts: CallOptions = {},
): Promise<TranscriptionResponse & { text: string }> {
  const form = fileForm(req.file, {
    model: req.model,
    stream: "false",
    prompt: req.prompt,
    hotwords: req.hotwords,
  });
  const answer = await client.postForm<TranscriptionResponse>("/audio/transcriptions", form, opts);
  if (typeof answer?.text !== "string") throw new InvalidResponseError("a transcription answer without text");
  return { ...answer, text: answer.text };
}
