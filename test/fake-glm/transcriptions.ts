// POST /audio/transcriptions (openapi path /paas/v4/audio/transcriptions, L847; multipart form
// AudioTranscriptionRequest L7711, answer AudioTranscriptionResponse L7764 or, with stream=true,
// AudioTranscriptionStreamResponse events L7790).
//
// How the form is checked: its fields become an object (text parts as strings; `stream` "true" /
// "false" as booleans, anything else stays a string and fails the schema's boolean; repeated
// `hotwords` parts as an array, the OAS 3.0 default for multipart arrays) and that object is
// validated against the schema. `file` or `file_base64` must be given ("只需要传一个"); the bytes must
// be WAV or MP3, ≤ 25 MB and ≤ 30 s (the `file` description). An unknown model is GLM's 1211.
// The transcript is derived from the audio (format, duration, a hash of the bytes) so a test can
// check the real bytes went through; a scripted answer's `content` replaces it.
import { createHash } from "node:crypto";
import { newId } from "./answer.js";
import { decodeBase64 } from "./base64.js";
import { badParams, invalidField, missingField, unknownModel } from "./errors.js";
import { isMp3, isWav, mp3DurationSec } from "./sniff.js";
import { checkAgainstSpec } from "./spec.js";
import { parseWav } from "./wav.js";

export const ASR_MODELS = ["glm-asr-2512"];
export const ASR_MAX_BYTES = 25 * 1024 * 1024;
export const ASR_MAX_SEC = 30;

export interface TranscriptionPlan {
  /** The form as validated (file as its name): what a wire audit re-checks. */
  fields: Record<string, unknown>;
  model: string;
  stream: boolean;
  text: string;
}

export async function validateTranscription(
  raw: Buffer,
  contentType: string | undefined,
  opts: { coding?: boolean } = {},
): Promise<TranscriptionPlan> {
  if (!contentType?.toLowerCase().startsWith("multipart/form-data"))
    throw badParams("请求体必须是 multipart/form-data");
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw badParams("无法解析 multipart/form-data 请求体");
  }
  const fields: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key).map((v) => (typeof v === "string" ? v : v.name));
    if (key === "hotwords") fields[key] = values;
    else if (key === "stream" && (values[0] === "true" || values[0] === "false"))
      fields[key] = values[0] === "true";
    else fields[key] = values[0];
  }
  if (typeof fields.model === "string" && !ASR_MODELS.includes(fields.model))
    throw unknownModel(fields.model);
  if (opts.coding && typeof fields.model === "string") throw unknownModel(fields.model);
  const file = form.get("file");
  let bytes: Buffer;
  if (file !== null) {
    if (typeof file === "string") throw invalidField("file", "必须是文件");
    bytes = Buffer.from(await file.arrayBuffer());
    checkAgainstSpec("transcriptions", fields);
  } else {
    if (typeof fields.file_base64 !== "string") throw missingField("file");
    // "file_base64 和 file 只需要传一个": the schema's required `file` is met by file_base64.
    checkAgainstSpec("transcriptions", { ...fields, file: "file_base64" });
    const decoded = decodeBase64(fields.file_base64);
    if (!decoded) throw invalidField("file_base64", "不是合法的 Base64 编码");
    bytes = decoded;
  }
  if (bytes.length === 0) throw invalidField("file", "文件为空");
  if (bytes.length > ASR_MAX_BYTES) throw invalidField("file", "文件大小不能超过 25 MB");
  let format: string;
  let seconds: number;
  if (isWav(bytes)) {
    const info = parseWav(bytes);
    if (!info) throw badParams("无法解析 wav 文件头");
    [format, seconds] = ["wav", info.durationSec];
  } else if (isMp3(bytes)) {
    [format, seconds] = ["mp3", mp3DurationSec(bytes) ?? 0];
  } else {
    throw invalidField("file", "仅支持 .wav / .mp3 音频文件");
  }
  if (seconds > ASR_MAX_SEC) throw badParams(`音频时长不能超过 30 秒（${Math.round(seconds)} 秒）`);
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
  const hot =
    Array.isArray(fields.hotwords) && fields.hotwords.length
      ? ` hotwords: ${fields.hotwords.join(", ")}.`
      : "";
  const ctx = typeof fields.prompt === "string" ? ` context: ${fields.prompt.length} chars.` : "";
  return {
    fields,
    model: fields.model as string,
    stream: fields.stream === true,
    text: `Fake transcript of ${Math.round(seconds * 10) / 10} s of ${format} audio (sha256 ${hash}).${hot}${ctx}`,
  };
}

export function transcriptionResponse(plan: TranscriptionPlan): Record<string, unknown> {
  return {
    id: newId(),
    created: Math.floor(Date.now() / 1000),
    request_id: newId(),
    model: plan.model,
    text: plan.text,
  };
}

/** The stream=true events: text deltas, then transcript.text.done (then the writer's [DONE]). */
export function transcriptionEvents(plan: TranscriptionPlan): Record<string, unknown>[] {
  const id = newId();
  const created = Math.floor(Date.now() / 1000);
  const words = plan.text.match(/\S+\s*/g) ?? [];
  return [
    ...words.map((delta) => ({ id, created, model: plan.model, type: "transcript.text.delta", delta })),
    { id, created, model: plan.model, type: "transcript.text.done", delta: "" },
  ];
}
