// glm://models — the model catalog (src/glm/models.ts) as one JSON document an agent can read
// before choosing a model or a tool.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Config } from "../../config.js";
import { MODELS } from "../../glm/models.js";
import { TOOL_DEFINITIONS } from "../../tools/index.js";
import { toolsTaking } from "../../tools/model-users.js";
import { toolEndpoints } from "../tool-endpoints.js";

export const MODELS_URI = "glm://models";

export function modelsDocument(
  config?: Pick<Config, "region" | "baseUrl" | "codingBaseUrl" | "realtimeUrl">,
) {
  return {
    source:
      "Zhipu model pages and API reference (docs.bigmodel.cn, 2026-07); figures are the platform's stated limits",
    policy:
      "The catalog informs, it never gates: a model name it does not list is sent to GLM as given, with its family's defaults (GLM-5 and later: thinking always on, no max_tokens cap) and one note in the result; a model listed only for the other region is sent with a note. Only GLM's own answer (1211, or 1210 about thinking) refuses a model, and that error lists these models.",
    fields: {
      contextTokens: "context window in tokens",
      maxOutputTokens: "largest max_tokens the model accepts",
      thinking: "always = reasons on every call; toggle = thinking on/off per call; none = no thinking mode",
      tool: "the glm-mcp tool(s) that call this model",
      free: "true when the platform offers the model free of charge",
      regions: "platforms that serve the model: cn (open.bigmodel.cn), intl (api.z.ai)",
      retiring: "the platform is retiring the model: prefer another",
      codingPlan: "served by the GLM Coding Plan endpoint (chat models only)",
      source: "where each figure (context, max output, thinking, modalities) comes from",
    },
    ...(config
      ? {
          region: config.region,
          endpoints: toolEndpoints(config),
          unavailable_here: MODELS.filter((m) => !m.regions.includes(config.region)).map((m) => m.name),
        }
      : {}),
    // Only the models this region serves (all of them when no config is given).
    models: MODELS.filter((m) => !config || m.regions.includes(config.region)).map((m) => ({
      ...m,
      tool: toolsTaking(m, TOOL_DEFINITIONS).join(", "),
    })),
  };
}

export function registerModelsResource(
  server: McpServer,
  config?: Parameters<typeof modelsDocument>[0],
): void {
  server.registerResource(
    "models",
    MODELS_URI,
    {
      title: "GLM model catalog",
      description:
        "Every GLM model this server can call: family, input/output modalities, context window, max output tokens, thinking support, which tool uses it, free or paid.",
      mimeType: "application/json",
    },
    (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: "application/json",
          text: JSON.stringify(modelsDocument(config), null, 2),
        },
      ],
    }),
  );
}
