// The read-only function tools GLM gets with explore: list a directory, read a file (or a line
// range), search text. Each call runs inside the workspace sandbox; a call that escapes it, names
// a missing file or asks for a binary gets an error text GLM can read and act on, never content.
// Tool shapes: openapi FunctionToolSchema / FunctionObject (name ^[a-zA-Z0-9_-]+$ ≤64, description,
// parameters as JSON Schema); REFERENCE §2 `tools`.
import type { FunctionTool, ToolCall } from "../glm/types.js";
import { MediaError } from "../media/errors.js";
import { fileBlock, type TokenBudget } from "./text-blocks.js";
import { IgnoreStack } from "./ignore-stack.js";
import { searchText, MAX_SEARCH_MATCHES } from "./search.js";
import type { Workspace } from "./workspace.js";

/** Lines one read_file returns at most (GLM asks again with start_line to read on). */
export const MAX_READ_LINES = 800;
/** Tokens one tool result may take at most, whatever is left of the budget. */
const MAX_RESULT_TOKENS = 24_000;

const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[]) => ({
  type: "function" as const,
  function: { name, description, parameters: { type: "object", properties, required } },
});

export const EXPLORE_TOOLS: FunctionTool[] = [
  fn(
    "list_directory",
    "List the entries of a directory in the workspace (relative paths start at the workspace root). Hidden and .gitignore'd entries are marked.",
    { path: { type: "string", description: 'Directory path, e.g. "." or "src".' } },
    ["path"],
  ),
  fn(
    "read_file",
    `Read a text file of the workspace, with line numbers. At most ${MAX_READ_LINES} lines per call: use start_line/end_line for long files.`,
    {
      path: { type: "string", description: 'File path, e.g. "src/server.ts".' },
      start_line: { type: "integer", description: "First line (1-based, default 1)." },
      end_line: { type: "integer", description: "Last line (inclusive)." },
    },
    ["path"],
  ),
  fn(
    "search_text",
    `Search the workspace's text files line by line for a literal string (or a JavaScript regular expression with regex=true). Returns path:line: text, at most ${MAX_SEARCH_MATCHES} matches.`,
    {
      query: { type: "string", description: "Text (or regular expression) to find." },
      regex: { type: "boolean", description: "Treat query as a regular expression (default false)." },
      path: {
        type: "string",
        description: "Directory, file or glob to search in (default: the whole workspace).",
      },
      max_matches: { type: "integer", description: "Most matches to return (default 50)." },
    },
    ["query"],
  ),
];

export interface StepReport {
  /** What was done, for progress and the result: "read src/config.ts:1-120". */
  summary: string;
  tool: string;
  ok: boolean;
  error?: string;
  /** The file read (display path), for read_file. */
  file?: string;
}

type Args = Record<string, unknown>;

/** Runs one tool call; the text goes back to GLM as the `tool` message. */
export async function runWorkspaceTool(
  ws: Workspace,
  call: ToolCall,
  budget: TokenBudget,
): Promise<{ content: string; step: StepReport }> {
  const name = call.function.name;
  let args: Args;
  try {
    const parsed: unknown = JSON.parse(call.function.arguments || "{}");
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error("not an object");
    args = parsed as Args;
  } catch {
    return failed(
      name,
      `${name} (bad arguments)`,
      "the arguments are not a JSON object; call again with valid JSON.",
    );
  }
  const label = describeCall(name, args);
  if (budget.remaining <= 0)
    return failed(name, label, "the file-text budget of this call is spent; answer with what you have read.");
  try {
    const { content, file } = await run(ws, name, args, budget);
    budget.spend(content);
    return { content, step: { summary: label, tool: name, ok: true, ...(file ? { file } : {}) } };
  } catch (err) {
    if (err instanceof MediaError) return failed(name, label, err.message);
    const code = (err as NodeJS.ErrnoException).code;
    return failed(name, label, `the call failed (${code ?? "error"}); try another path.`);
  }
}

function failed(tool: string, summary: string, why: string): { content: string; step: StepReport } {
  return { content: `Error: ${why}`, step: { summary: `${summary} (refused)`, tool, ok: false, error: why } };
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const int = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? v : undefined);

function describeCall(name: string, a: Args): string {
  const p = str(a.path) ?? ".";
  if (name === "read_file") {
    const from = int(a.start_line);
    const to = int(a.end_line);
    return `read ${p}${from || to ? `:${from ?? 1}-${to ?? ""}` : ""}`;
  }
  if (name === "list_directory") return `list ${p}`;
  if (name === "search_text")
    return `search "${(str(a.query) ?? "").slice(0, 60)}"${a.path ? ` in ${p}` : ""}`;
  return `call ${name.slice(0, 64)}`;
}

async function run(
  ws: Workspace,
  name: string,
  a: Args,
  budget: TokenBudget,
): Promise<{ content: string; file?: string }> {
  const room = Math.min(budget.remaining, MAX_RESULT_TOKENS);
  switch (name) {
    case "read_file": {
      const p = str(a.path);
      if (!p) throw new MediaError("read_file needs a path.");
      const file = await ws.readText(p);
      const from = int(a.start_line) ?? 1;
      const to = Math.min(int(a.end_line) ?? Infinity, from + MAX_READ_LINES - 1);
      const block = fileBlock(file.path, file.text, room, from, to);
      const more = block.last < block.totalLines;
      const tail = more
        ? `\n[${block.totalLines - block.last} more lines: read on with start_line ${block.last + 1}]`
        : "";
      return { content: block.text + tail, file: file.path };
    }
    case "list_directory": {
      const { dir, entries } = await ws.list(str(a.path) ?? ".", new IgnoreStack());
      const shownEntries = entries.filter((e) => !e.skipped);
      const skipped = entries.length - shownEntries.length;
      const lines = shownEntries.map(
        (e) => `${e.name}${e.kind === "dir" ? "/" : e.kind === "link" ? " (symlink)" : ""}`,
      );
      const note = skipped ? `\n[${skipped} hidden or .gitignore'd entries not listed]` : "";
      return { content: cap(`${dir}/\n${lines.join("\n") || "(empty)"}${note}`, room) };
    }
    case "search_text": {
      const query = str(a.query);
      if (!query) throw new MediaError("search_text needs a query.");
      const r = await searchText(ws, query, {
        ...(str(a.path) ? { path: str(a.path)! } : {}),
        regex: a.regex === true,
        ...(int(a.max_matches) ? { maxMatches: int(a.max_matches)! } : {}),
      });
      const lines = r.matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
      const head = `${r.matches.length} matches in ${r.filesSearched} files${r.truncated ? " (more exist: narrow the path or query)" : ""}`;
      return { content: cap([head, ...lines].join("\n"), room) };
    }
    default:
      throw new MediaError(
        `there is no tool ${name.slice(0, 64)}; use list_directory, read_file or search_text.`,
      );
  }
}

/** Whole lines of `text` within `maxTokens` (roughly 3 characters a token, conservatively). */
function cap(text: string, maxTokens: number): string {
  const maxChars = maxTokens * 3;
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf("\n")))}\n[cut: the result was longer than this call's budget]`;
}
