// Scripted turns that act like GLM exploring a workspace through function calls: each turn is
// computed from the request, so what it asks for next depends on what the tools gave it.
import path from "node:path";
import type { ScriptedAnswer, ScriptedTurn } from "./types.js";

interface Msg {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
}

/** The messages after the last user message (this call's tool exchange). */
function sinceLastUser(body: Record<string, unknown>): Msg[] {
  const messages = (body.messages as Msg[] | undefined) ?? [];
  const at = messages.map((m) => m.role).lastIndexOf("user");
  return messages.slice(at + 1);
}

/** Tool results sent back in this call, in order. */
export function toolResults(body: Record<string, unknown>): { id: string; content: string }[] {
  return sinceLastUser(body)
    .filter((m) => m.role === "tool")
    .map((m) => ({ id: m.tool_call_id ?? "", content: String(m.content ?? "") }));
}

const readCall = (p: string) => ({ function: { name: "read_file", arguments: JSON.stringify({ path: p }) } });

/**
 * A reviewer that reads `entry`, then every file its relative imports name (`from "./x.js"` ->
 * x.ts next to it), several calls per turn, and answers naming the files it read once no new
 * import is left. Errors from the tools are quoted in the answer.
 */
export function importExplorer(entry: string): ScriptedTurn {
  return (body): ScriptedAnswer => {
    const asked = sinceLastUser(body)
      .flatMap((m) => m.tool_calls ?? [])
      .filter((c) => c.function.name === "read_file")
      .map((c) => (JSON.parse(c.function.arguments) as { path: string }).path);
    if (asked.length === 0)
      return { reasoning_content: `Start with ${entry}.`, tool_calls: [readCall(entry)] };
    const read = new Map<string, string>();
    const errors: string[] = [];
    for (const r of toolResults(body)) {
      const m = /^<file path="([^"]+)"/.exec(r.content);
      if (m) read.set(m[1]!, r.content);
      else errors.push(r.content.split("\n")[0]!);
    }
    const wanted = new Set<string>();
    for (const [file, text] of read) {
      for (const m of text.matchAll(/from\s+["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = path.posix
          .normalize(path.posix.join(path.posix.dirname(file), m[1]!))
          .replace(/\.js$/, ".ts");
        if (!asked.includes(target)) wanted.add(target);
      }
    }
    if (wanted.size > 0)
      return {
        reasoning_content: `Its imports lead to ${[...wanted].join(", ")}.`,
        tool_calls: [...wanted].map(readCall),
      };
    const errorNote = errors.length ? ` Tool errors: ${errors.join(" | ")}` : "";
    return {
      reasoning_content: "I have read every file the imports lead to.",
      content: `Reviewed ${[...read.keys()].join(", ")} for error handling.${errorNote}`,
    };
  };
}
