// Folds streamed tool-call deltas into whole calls. With tool_stream, GLM sends a call's id and
// name first and its JSON arguments in pieces, several calls told apart by `index`; the official
// sample (docs.bigmodel.cn/cn/guide/tools/stream-tool) accumulates `function.arguments` per index.
// Without tool_stream each call arrives whole in one delta, which folds the same way.
import type { ToolCall, ToolCallDelta } from "./types.js";

export class ToolCallFolder {
  private readonly slots = new Map<number, ToolCall>();

  add(deltas: readonly ToolCallDelta[]): void {
    for (const [k, d] of deltas.entries()) {
      const index = d.index ?? k;
      let slot = this.slots.get(index);
      if (!slot) {
        slot = { id: "", type: "function", function: { name: "", arguments: "" } };
        this.slots.set(index, slot);
      }
      // Some gateways repeat an empty id on continuation pieces: only a real id is kept.
      if (d.id) slot.id = d.id;
      if (d.function?.name) slot.function.name += d.function.name;
      if (d.function?.arguments) slot.function.arguments += d.function.arguments;
    }
  }

  /** The calls in index order; undefined when the stream carried none. */
  calls(): ToolCall[] | undefined {
    if (this.slots.size === 0) return undefined;
    return [...this.slots.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
  }
}
