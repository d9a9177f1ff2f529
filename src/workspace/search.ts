// Text search across the workspace for GLM: a literal or a regular expression, line by line, over
// the text files a walk finds (binary, key-like and oversized files are skipped, never read out).
import { stat } from "node:fs/promises";
import vm from "node:vm";
import { MediaError } from "../media/errors.js";
import { IgnoreStack } from "./ignore-stack.js";
import { splitGlob, walkFiles } from "./walk.js";
import type { Workspace } from "./workspace.js";

export const MAX_SEARCH_MATCHES = 200;
const DEFAULT_MATCHES = 50;
const MAX_FILES_SEARCHED = 2_000;
/** Lines longer than this are matched and shown cut (minified files would flood the answer). */
const MAX_LINE_CHARS = 400;
const MAX_QUERY_CHARS = 500;
/**
 * CPU time all regular-expression matching of one search may take. The pattern comes from GLM, and
 * a backtracking one such as (a+)+$ would otherwise hold the event loop (and every other call) for
 * minutes on a 40-character line; V8 interrupts a vm script at its timeout, regex included.
 */
export const REGEX_BUDGET_MS = 2_000;

export interface SearchOptions {
  /** A folder, file or glob to search in (default: the workspace base). */
  path?: string;
  regex?: boolean;
  maxMatches?: number;
}

export interface SearchMatch {
  path: string;
  line: number;
  text: string;
}

export interface SearchResult {
  matches: SearchMatch[];
  filesSearched: number;
  /** More matches (or files) existed than were returned. */
  truncated: boolean;
}

export async function searchText(
  ws: Workspace,
  query: string,
  opts: SearchOptions = {},
): Promise<SearchResult> {
  if (!query || query.length > MAX_QUERY_CHARS)
    throw new MediaError(`The search query must be 1–${MAX_QUERY_CHARS} characters.`);
  const lineMatches = matcher(query, opts.regex ?? false);
  const limit = Math.min(Math.max(1, opts.maxMatches ?? DEFAULT_MATCHES), MAX_SEARCH_MATCHES);
  const { start, match } = splitGlob(opts.path ?? ".");
  const real = await ws.locate(start);
  const files = (await stat(real)).isDirectory()
    ? await walkFiles(ws, real, new IgnoreStack(), {
        maxFiles: MAX_FILES_SEARCHED,
        ...(match ? { match } : {}),
      })
    : { files: [real], truncated: false };
  const matches: SearchMatch[] = [];
  const truncated = files.truncated;
  let searched = 0;
  for (const file of files.files) {
    const text = await ws.readText(file).catch(() => undefined);
    if (!text) continue;
    searched++;
    const lines = text.text.split(/\r?\n/).map((l) => l.slice(0, MAX_LINE_CHARS));
    for (const i of lineMatches(lines)) {
      if (matches.length >= limit) return { matches, filesSearched: searched, truncated: true };
      matches.push({ path: text.path, line: i + 1, text: lines[i]!.trim() });
    }
  }
  return { matches, filesSearched: searched, truncated };
}

/** Indexes of the matching lines; a regex runs in a vm context under one time budget per search. */
function matcher(query: string, regex: boolean): (lines: string[]) => number[] {
  if (!regex) return (lines) => lines.flatMap((line, i) => (line.includes(query) ? [i] : []));
  let re: RegExp;
  try {
    re = new RegExp(query);
  } catch (err) {
    throw new MediaError(`The search pattern is not a valid regular expression (${(err as Error).message}).`);
  }
  const context = vm.createContext({ re, lines: [] as string[] });
  const scan = new vm.Script(
    "(() => { const hits = []; for (let i = 0; i < lines.length; i++) if (re.test(lines[i])) hits.push(i); return hits; })()",
  );
  const deadline = Date.now() + REGEX_BUDGET_MS;
  return (lines) => {
    context.lines = lines;
    try {
      return scan.runInContext(context, { timeout: Math.max(1, deadline - Date.now()) }) as number[];
    } catch (err) {
      if ((err as { code?: string }).code !== "ERR_SCRIPT_EXECUTION_TIMEOUT") throw err;
      throw new MediaError(
        `The regular expression ${JSON.stringify(query.slice(0, 80))} took over ${REGEX_BUDGET_MS / 1000} s (it backtracks catastrophically): simplify it, or search for a literal string with regex=false.`,
      );
    }
  };
}
