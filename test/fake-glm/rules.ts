// Per-model rules the OpenAPI schema cannot express (it has one schema per model family, with the
// family's widest limits). Each rule names its source; broken requests get GLM's code and wording.
import { FakeApiError, badParams, invalidField, messageForCode } from "./errors.js";
import type { FakeModel } from "./models.js";
import { absent } from "./validate.js";

/**
 * max_tokens above the model's own ceiling. openapi max_tokens descriptions: GLM-5.x/4.7/4.6 128K,
 * GLM-4.5 series 96K, GLM-4.6V 32K, GLM-4.5V and GLM-4.1V 16K, GLM-4-Voice 4K (schema maximum
 * 4096); glm-4v-flash 1024. The platform answers 400 / 1210 with "max_tokens参数非法：限制数值范围[1,N]"
 * (quoted from a real answer in ysr666/dsh-vision-router#374).
 */
export function checkMaxTokens(model: FakeModel, value: unknown): void {
  if (typeof value !== "number") return; // the schema already refused a wrong type
  if (value > model.maxTokens)
    throw new FakeApiError(400, "1210", `max_tokens参数非法：限制数值范围[1,${model.maxTokens}]`);
}

/** openapi temperature / top_p: "取值范围为 [0.0, 1.0]（top_p [0.01, 1.0]），限两位小数". */
export function checkTwoDecimals(body: Record<string, unknown>, field: "temperature" | "top_p"): void {
  const v = body[field];
  if (typeof v !== "number") return;
  if (Math.abs(v * 100 - Math.round(v * 100)) > 1e-9) throw invalidField(field, "限两位小数");
}

/** openapi ChatThinking: "仅 `GLM-4.5` 及以上模型支持此参数配置". */
export function checkThinkingSwitch(
  modelName: string,
  model: FakeModel,
  body: Record<string, unknown>,
): void {
  if (absent(body.thinking)) return;
  if (!model.thinkingSwitch)
    throw invalidField("thinking", `${modelName} 不支持此参数，仅 GLM-4.5 及以上模型支持`);
  const type = (body.thinking as { type?: unknown } | null)?.type;
  if (model.refusesThinkingOff && type === "disabled")
    throw badParams(`thinking.type=disabled 不支持：${modelName} 始终开启深度思考`);
}

/** Extensions of image URLs GLM cannot take (any other or none: GLM downloads and decodes it). */
const REFUSED_IMAGE_EXTENSIONS = new Set([
  "webp",
  "gif",
  "avif",
  "svg",
  "bmp",
  "tif",
  "tiff",
  "heic",
  "heif",
  "ico",
]);

/**
 * openapi VisionMultimodalContentItem image_url.url: "支持`jpg、png、jpeg`格式". A URL naming another
 * image format is refused with the platform's image-format error (1210, 图片输入格式/解析错误).
 */
export function checkImageUrlFormat(url: string): void {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return;
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext && REFUSED_IMAGE_EXTENSIONS.has(ext))
    throw badParams(`图片输入格式/解析错误：不支持 ${ext} 格式的图片 URL，仅支持 jpg、png、jpeg 格式`);
}

/** The coding-plan endpoint serves only its chat models (see FakeModel.coding for the sources). */
export function checkCodingPlan(coding: boolean, modelName: string, model: FakeModel | undefined): void {
  if (!coding || model?.coding) return;
  throw new FakeApiError(400, "1211", `${messageForCode("1211")}：${modelName}`);
}
