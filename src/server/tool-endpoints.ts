// Where each tool's calls go, from the tool registry: every tool declares the endpoint kinds it calls
// and glm/endpoints.ts maps a kind to a URL. For glm://models and doctor.
import { endpointFor, type EndpointUrls } from "../glm/endpoints.js";
import type { EndpointKind } from "../glm/models.js";
import { TOOL_DEFINITIONS } from "../tools/index.js";

/** One row per tool and kind it calls: glm_reason, chat, https://…/api/coding/paas/v4. */
export function toolEndpoints(urls: EndpointUrls): { tool: string; kind: EndpointKind; endpoint: string }[] {
  return TOOL_DEFINITIONS.flatMap((t) =>
    t.calls.map((kind) => ({ tool: t.name, kind, endpoint: endpointFor(kind, urls) })),
  );
}

/** "glm_reason → https://…, document_analyze → https://…": each tool once, with its distinct endpoints. */
export function toolEndpointsLine(urls: EndpointUrls): string {
  const byTool = new Map<string, Set<string>>();
  for (const { tool, endpoint } of toolEndpoints(urls))
    byTool.set(tool, (byTool.get(tool) ?? new Set()).add(endpoint));
  return [...byTool].map(([tool, endpoints]) => `${tool} → ${[...endpoints].join(" and ")}`).join(", ");
}

/** "vision_analyze, vision_locate, …": the registered tools that call this kind of endpoint. */
export function toolsCalling(kind: EndpointKind): string {
  return TOOL_DEFINITIONS.filter((t) => t.calls.includes(kind))
    .map((t) => t.name)
    .join(", ");
}
