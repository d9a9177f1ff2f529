// GLM's own refusal of a model name, the only one there is (the catalog informs, never gates):
// 1211 "model does not exist", or 1210/1214 about thinking for a name whose rules were guessed,
// becomes one sentence naming the catalog's models of that kind for the region.
import type { Region } from "../config.js";
import { BadRequestError, GlmError, ModelNotFoundError, type GlmErrorInit } from "./errors.js";
import { findModel, offer, REGION_HOSTS, requestKind } from "./models.js";
import type { ChatRequest } from "./types.js";

const THINKING_CODES = new Set(["1210", "1214"]);

/** The same error with an actionable sentence when it is GLM refusing the model; else `err` itself. */
export function explainModelRefusal(
  err: unknown,
  body: Pick<ChatRequest, "model" | "messages">,
  region: Region,
): unknown {
  if (!(err instanceof GlmError) || !err.code) return err;
  const model = body.model;
  const listing = `use one of ${offer([requestKind(model, body.messages)], region)} (region ${region}, ${REGION_HOSTS[region]}; glm://models lists them with their limits)`;
  const init = initOf(err);
  if (err.code === "1211") {
    return new ModelNotFoundError(
      init,
      `GLM does not know the model "${model}" (or the key cannot use it): ${listing}`,
    );
  }
  if (THINKING_CODES.has(err.code) && /thinking/i.test(err.upstreamMessage ?? "")) {
    const guessed = findModel(model)
      ? ""
      : `, which is not in glm-mcp's catalog so its thinking rules were guessed`;
    return new BadRequestError(
      init,
      `GLM refused the thinking setting for "${model}"${guessed}: call again with thinking left out, or ${listing}`,
    );
  }
  return err;
}

function initOf(err: GlmError): GlmErrorInit {
  return {
    ...(err.status !== undefined ? { status: err.status } : {}),
    ...(err.code !== undefined ? { code: err.code } : {}),
    ...(err.upstreamMessage !== undefined ? { upstreamMessage: err.upstreamMessage } : {}),
    ...(err.requestId !== undefined ? { requestId: err.requestId } : {}),
    cause: err,
  };
}
