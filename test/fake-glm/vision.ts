// Validation of vision content parts (CN-OAS 2026 VisionMultimodalContentItem, REFERENCE §2–3).
import sharp from "sharp";
import { decodeBase64, isHttpUrl, stripDataUri } from "./base64.js";
import { badParams, invalidField } from "./errors.js";
import type { FakeModel } from "./models.js";
import { checkImageUrlFormat } from "./rules.js";
import { sniffVideo } from "./sniff.js";

/** "每张图像5M以下": decoded bytes, read as MiB (the usual meaning of "M" in these docs). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** "像素不超过6000*6000": enforced per side. */
export const MAX_IMAGE_SIDE = 6000;
export const MAX_VIDEO_BYTES = 200 * 1024 * 1024;
export const MAX_FILES = 50;

/** Media counted over the whole request (limits are per request). */
export interface MediaTally {
  images: number;
  videos: number;
  files: number;
  audios: number;
  audioSec: number;
  /** Every http(s) URL seen (never fetched). */
  urls: string[];
}

export function newTally(): MediaTally {
  return { images: 0, videos: 0, files: 0, audios: 0, audioSec: 0, urls: [] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads `part[key].url` as a non-empty string or throws 1214 naming the field. */
export function partUrl(part: Record<string, unknown>, key: string, where: string): string {
  const inner = part[key];
  if (!isObject(inner)) throw invalidField(`${where}.${key}`, `${key} 必须是对象`);
  const url = inner.url;
  if (typeof url !== "string" || url.length === 0)
    throw invalidField(`${where}.${key}.url`, "url 必须是非空字符串");
  return url;
}

/** Validates one user message's parts for a vision model; returns its text parts. */
export async function validateVisionParts(
  modelName: string,
  model: FakeModel,
  parts: unknown[],
  where: string,
  tally: MediaTally,
): Promise<string[]> {
  const texts: string[] = [];
  let hasFile = false;
  let hasImageOrVideo = false;
  for (const [j, part] of parts.entries()) {
    const at = `${where}[${j}]`;
    if (!isObject(part)) throw invalidField(at, "content 数组元素必须是对象");
    switch (part.type) {
      case "text":
        if (typeof part.text !== "string") throw invalidField(`${at}.text`, "text 必须是字符串");
        texts.push(part.text);
        break;
      case "image_url": {
        hasImageOrVideo = true;
        tally.images++;
        await checkImage(modelName, model, partUrl(part, "image_url", at), tally);
        break;
      }
      case "video_url": {
        hasImageOrVideo = true;
        tally.videos++;
        if (!model.video) throw badParams(`${modelName} 不支持视频输入`);
        checkVideo(partUrl(part, "video_url", at), tally);
        break;
      }
      case "file_url": {
        hasFile = true;
        tally.files++;
        if (!model.files)
          throw badParams(`${modelName} 不支持文件输入（file_url 仅 GLM-5V-Turbo、GLM-4.6V、GLM-4.5V 支持）`);
        const url = partUrl(part, "file_url", at);
        if (!isHttpUrl(url)) throw badParams("file_url 仅支持文件的 URL 地址，不支持Base64 编码");
        tally.urls.push(url);
        break;
      }
      case "input_audio":
        throw badParams(`${modelName} 不支持音频输入（input_audio 仅 glm-4-voice 支持）`);
      default:
        throw invalidField(`${at}.type`, "type 取值为 text、image_url、video_url、file_url");
    }
  }
  if (hasFile && hasImageOrVideo) throw badParams("不支持同时传入 file_url 和 image_url 或 video_url 参数");
  if (model.maxImages !== undefined && tally.images > model.maxImages) {
    throw badParams(`${modelName} 最多支持 ${model.maxImages} 张图片，本次请求包含 ${tally.images} 张`);
  }
  if (tally.files > MAX_FILES)
    throw badParams(`file_url 最多支持 ${MAX_FILES} 个文件，本次请求包含 ${tally.files} 个`);
  return texts;
}

async function checkImage(
  modelName: string,
  model: FakeModel,
  url: string,
  tally: MediaTally,
): Promise<void> {
  if (isHttpUrl(url)) {
    checkImageUrlFormat(url);
    tally.urls.push(url);
    return;
  }
  if (!model.base64Images) throw badParams(`${modelName} 不支持 Base64 编码的图片，请传入图片 URL`);
  const bytes = decodeBase64(stripDataUri(url).payload);
  if (!bytes)
    throw badParams("图片输入格式/解析错误：image_url.url 既不是 http(s) URL 也不是合法的 Base64 编码");
  if (bytes.length > MAX_IMAGE_BYTES) throw badParams(`图片大小超过 5M 限制（${bytes.length} 字节）`);
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw badParams("图片输入格式/解析错误：无法解码图片，仅支持 jpg、png、jpeg 格式");
  }
  if (meta.format !== "jpeg" && meta.format !== "png")
    throw badParams(`不支持的图片格式 ${meta.format}：仅支持 jpg、png、jpeg 格式`);
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE) throw badParams(`图片像素超过 6000*6000 限制（${w}×${h}）`);
}

function checkVideo(url: string, tally: MediaTally): void {
  if (isHttpUrl(url)) {
    tally.urls.push(url);
    return;
  }
  // The platform documents URL only; small local videos inlined as base64 (as the official MCP
  // server does) are accepted when they really are mp4/mkv/mov.
  const bytes = decodeBase64(stripDataUri(url).payload);
  if (!bytes) throw badParams("视频输入格式错误：video_url.url 既不是 http(s) URL 也不是合法的 Base64 编码");
  if (bytes.length > MAX_VIDEO_BYTES) throw badParams(`视频大小超过 200M 限制（${bytes.length} 字节）`);
  if (!sniffVideo(bytes)) throw badParams("视频格式不支持：仅支持 mp4、mkv、mov");
}
