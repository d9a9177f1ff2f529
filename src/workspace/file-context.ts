// glm_reason `files`: paths, folders and globs read by the server and sent as labelled blocks
// (path + line numbers) ahead of the prompt, within a token budget, with a report of what went in.
import { estimateTokens } from "../embeddings/tokens.js";
import { TokenBudget, fileBlock } from "./text-blocks.js";
import { MediaError } from "../media/errors.js";
import { expandPaths } from "./walk.js";
import type { Workspace } from "./workspace.js";

/** Files one call expands to at most (a glob over a whole monorepo must not send it all). */
export const MAX_CONTEXT_FILES = 200;

export interface FilesReport {
  sent: { path: string; lines: string; of: number; cut?: true }[];
  left_out: { path: string; reason: string }[];
  /** Estimated tokens of file text sent, and the budget it had. */
  tokens: number;
  budget: number;
}

/** The blocks to put ahead of the prompt, and what went in. A file named exactly that cannot be read fails the call. */
export async function filesContext(
  ws: Workspace,
  patterns: readonly string[],
  budgetTokens: number,
): Promise<{ text: string; report: FilesReport }> {
  const budget = new TokenBudget(budgetTokens);
  const expanded = await expandPaths(ws, patterns, MAX_CONTEXT_FILES);
  const named = new Set<string>();
  for (const p of patterns) if (!/[*?[{]/.test(p)) named.add(await ws.locate(p));
  const report: FilesReport = { sent: [], left_out: [], tokens: 0, budget: budgetTokens };
  for (const note of expanded.notes)
    report.left_out.push({ path: note.split(":")[0]!, reason: note.slice(note.indexOf(":") + 2) });
  const blocks: string[] = [];
  for (const real of expanded.files) {
    const shownPath = ws.display(real);
    if (budget.remaining <= 0) {
      report.left_out.push({ path: shownPath, reason: "the token budget was spent on earlier files" });
      continue;
    }
    const file = await ws.readText(real).catch((err: unknown) => {
      if (named.has(real) || !(err instanceof MediaError)) throw err;
      report.left_out.push({ path: shownPath, reason: err.message });
      return undefined;
    });
    if (!file) continue;
    const block = fileBlock(file.path, file.text, budget.remaining);
    if (block.last < block.first) {
      report.left_out.push({ path: file.path, reason: "the token budget was spent on earlier files" });
      continue;
    }
    budget.spend(block.text);
    if (block.cut) budget.exhaust();
    blocks.push(block.text);
    report.sent.push({
      path: file.path,
      lines: `${block.first}-${block.last}`,
      of: block.totalLines,
      ...(block.cut ? { cut: true as const } : {}),
    });
  }
  report.tokens = estimateTokens(blocks.join("\n\n"));
  return { text: blocks.join("\n\n"), report };
}

/** One line for the agent: what went in, what was cut or left out. */
export function filesNote(r: FilesReport): string {
  const sent = r.sent.map((f) => (f.cut ? `${f.path} (lines ${f.lines} of ${f.of}, cut to fit)` : f.path));
  const parts = [`[Files sent to GLM (~${r.tokens} tokens): ${sent.join(", ") || "none"}.`];
  if (r.left_out.length)
    parts.push(`Left out: ${r.left_out.map((f) => `${f.path} (${f.reason})`).join("; ")}.`);
  return parts.join(" ") + "]";
}
