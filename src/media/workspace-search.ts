// Text search across the workspace for GLM: a literal or a regular expression, line by line, over
// the text files a walk finds (binary, key-like and oversized files are skipped, never read out).
import { stat } from "node:fs/promises";
import { MediaError } from "./errors.js";
import { IgnoreStack } from "./ignore-stack.js";
import { splitGlob, walkFiles } from "./workspace-walk.js";
import type { Workspace } from "./workspace.js";

export const MAX_SEARCH_MATCHES = 200;
const DEFAULT_MATCHES = 50;
const MAX_FILES_SEARCHED = 2_000;
/** Lines longer than this are matched and shown cut (minified files would flood the answer). */
const MAX_LINE_CHARS = 400;
const MAX_QUERY_CHARS = 500;

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
  const test = matcher(query, opts.regex ?? false);
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
    const lines = text.text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.slice(0, MAX_LINE_CHARS);
      if (!test(line)) continue;
      if (matches.length >= limit) return { matches, filesSearched: searched, truncated: true };
      matches.push({ path: text.path, line: i + 1, text: line.trim() });
    }
  }
  return { matches, filesSearched: searched, truncated };
}

function matcher(query: string, regex: boolean): (line: string) => boolean {
  if (!regex) return (line) => line.includes(query);
  let re: RegExp;
  try {
    re = new RegExp(query);
  } catch (err) {
    throw new MediaError(`The search pattern is not a valid regular expression (${(err as Error).message}).`);
  }
  return (line) => re.test(line);
}
