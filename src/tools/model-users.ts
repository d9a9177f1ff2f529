// Which tools take a model: the reverse of each tool's declared `calls` (and `modelInput`). The
// catalog (src/glm/models.ts) does not name tools, so a new tool never needs an edit there.
import type { ModelInfo } from "../glm/models.js";
import type { ToolDefinition } from "./define-tool.js";

export type ToolCalls = Pick<ToolDefinition, "name" | "calls" | "modelInput">;

/** The names of the tools (in registry order) that call models of this kind and input. */
export function toolsTaking(model: Pick<ModelInfo, "kind" | "input">, tools: readonly ToolCalls[]): string[] {
  return tools
    .filter((t) => t.calls.includes(model.kind) && (!t.modelInput || model.input.includes(t.modelInput)))
    .map((t) => t.name);
}
