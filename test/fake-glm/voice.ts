// glm-4-voice: input_audio validation, the audio ids this fake issued, and the audio reply.
import { decodeBase64 } from "./base64.js";
import { badParams, invalidField } from "./errors.js";
import { isMp3, isWav, mp3DurationSec } from "./sniff.js";
import { partUrl, type MediaTally } from "./vision.js";
import { makeToneWav, parseWav } from "./wav.js";

export const MAX_AUDIO_SEC = 10 * 60;
/** "1s音频=12.5 Tokens，向上取整". */
export const AUDIO_TOKENS_PER_SEC = 12.5;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validates one user message's parts for glm-4-voice; returns its text parts. */
export function validateVoiceParts(
  modelName: string,
  parts: unknown[],
  where: string,
  tally: MediaTally,
): string[] {
  const texts: string[] = [];
  for (const [j, part] of parts.entries()) {
    const at = `${where}[${j}]`;
    if (!isObject(part)) throw invalidField(at, "content 数组元素必须是对象");
    switch (part.type) {
      case "text":
        if (typeof part.text !== "string") throw invalidField(`${at}.text`, "text 必须是字符串");
        texts.push(part.text);
        break;
      case "input_audio":
        tally.audios++;
        tally.audioSec += checkAudio(part.input_audio, `${at}.input_audio`);
        break;
      case "image_url":
      case "video_url":
      case "file_url":
        partUrl(part, part.type, at);
        throw badParams(`${modelName} 不支持 ${part.type} 输入，仅支持文本和音频`);
      default:
        throw invalidField(`${at}.type`, "type 取值为 text、input_audio");
    }
  }
  return texts;
}

/** Returns the audio duration in seconds. */
function checkAudio(input: unknown, at: string): number {
  if (!isObject(input)) throw invalidField(at, "input_audio 必须是对象");
  const { data, format } = input;
  if (format !== "wav" && format !== "mp3") throw invalidField(`${at}.format`, "format 取值为 wav、mp3");
  if (typeof data !== "string" || data.length === 0)
    throw invalidField(`${at}.data`, "data 必须是 Base64 编码的音频");
  const bytes = decodeBase64(data);
  if (!bytes) throw badParams("音频数据不是合法的 Base64 编码");
  let seconds: number | undefined;
  if (format === "wav") {
    if (!isWav(bytes))
      throw badParams(`音频数据与 format 不符：不是 wav 文件${isMp3(bytes) ? "（看起来是 mp3）" : ""}`);
    const info = parseWav(bytes);
    if (!info) throw badParams("无法解析 wav 文件头");
    seconds = info.durationSec;
  } else {
    if (!isMp3(bytes))
      throw badParams(`音频数据与 format 不符：不是 mp3 文件${isWav(bytes) ? "（看起来是 wav）" : ""}`);
    seconds = mp3DurationSec(bytes) ?? 0;
  }
  if (seconds > MAX_AUDIO_SEC) throw badParams(`音频时长超过 10 分钟（${Math.round(seconds)} 秒）`);
  return seconds;
}

/** Audio ids handed out by one fake instance; assistant turns may only refer to these. */
export class AudioRegistry {
  private readonly ids = new Set<string>();
  private seq = 0;

  issue(): string {
    this.seq++;
    const id = `fake-audio-${Date.now().toString(36)}-${this.seq}`;
    this.ids.add(id);
    return id;
  }

  add(id: string): void {
    this.ids.add(id);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}

let cachedTone: string | undefined;

/** The default spoken reply: base64 of a 0.5 s 440 Hz WAV (44.1 kHz mono 16-bit). */
export function defaultReplyAudioBase64(): string {
  cachedTone ??= makeToneWav({ durationMs: 500 }).toString("base64");
  return cachedTone;
}
