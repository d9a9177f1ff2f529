// Which endpoint each kind of call goes to. With the GLM Coding Plan on, chat models go to the
// coding endpoint and everything else to the standard one with the same key: the coding endpoint
// serves the coding (chat) models only — public reports show embeddings, voice and vision failing
// there with 1211 or 429 "no available channel", and the official vision MCP server for coding-plan
// users (zai-org GLM vision MCP, @z_ai/mcp-server) calls /api/paas/v4.
import { GlmError, type GlmErrorInit } from "./errors.js";
import type { EndpointKind } from "./models.js";

export interface EndpointUrls {
  baseUrl: string;
  codingBaseUrl?: string | undefined;
  realtimeUrl?: string | undefined;
}

export function endpointFor(kind: EndpointKind, urls: EndpointUrls): string {
  if (kind === "realtime") return urls.realtimeUrl ?? urls.baseUrl;
  if (kind === "chat" && urls.codingBaseUrl) return urls.codingBaseUrl;
  return urls.baseUrl;
}

/** A 404 or an HTML page where the API should be: the base URL or the plan switch is wrong. */
export class WrongEndpointError extends GlmError {
  override name = "WrongEndpointError";
  constructor(url: string, detail: string, init: GlmErrorInit = {}) {
    super(
      `${url} is not a GLM API endpoint (${detail}): GLM_BASE_URL must name the standard endpoint ending in /api/paas/v4 (e.g. https://open.bigmodel.cn/api/paas/v4 or https://api.z.ai/api/paas/v4); with GLM_CODING_PLAN=1 chat goes to the coding endpoint derived from it (…/api/coding/paas/v4, or GLM_CODING_BASE_URL), and without a coding-plan key leave GLM_CODING_PLAN unset`,
      init,
    );
  }
}

/**
 * Whether an answer means "this is not the API": a 404 without a GLM error code, or (status 0 = a
 * success status where JSON or SSE was expected) an HTML page. Other failing statuses keep their
 * own meaning (a 5xx HTML page from a gateway is still a server error worth retrying).
 */
export function isWrongEndpoint(status: number, contentType: string, bodyText: string): boolean {
  if (status === 0) return /text\/html/i.test(contentType) || /^\s*<(!doctype|html)/i.test(bodyText);
  if (status !== 404) return false;
  try {
    const parsed = JSON.parse(bodyText) as { error?: { code?: unknown } };
    return parsed?.error?.code === undefined;
  } catch {
    return true;
  }
}
