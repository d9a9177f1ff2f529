// Walking the workspace: paths, folders and globs expanded to files (hidden, .gitignore'd and
// node_modules entries skipped unless named exactly, symlinks never followed), and text search.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { MediaError } from "../media/errors.js";
import { globToRegExp, isGlob } from "./globs.js";
import { IgnoreStack } from "./ignore-stack.js";
import { NEVER_WALKED, type Workspace } from "./workspace.js";

/** Entries looked at in one walk at most (a folder of a million files must not stall the call). */
export const MAX_WALK_ENTRIES = 20_000;
/** Wall time one walk may take; past it the walk stops as if truncated (huge or hostile trees). */
export const WALK_BUDGET_MS = 10_000;
/** Longest stretch a walk computes without letting other calls run. */
const YIELD_EVERY_MS = 20;

export interface Expanded {
  /** Real paths in the order found, no duplicates. */
  files: string[];
  /** One line per pattern that matched nothing or was cut short. */
  notes: string[];
}

interface WalkOptions {
  /** Keep a file when its path relative to the walk's start matches. */
  match?: (rel: string) => boolean;
  maxFiles: number;
  /** Date.now() past which the walk stops (default: WALK_BUDGET_MS from its start). */
  deadline?: number;
}

/** Files under `start` (a real directory inside the sandbox), depth-first in name order. */
export async function walkFiles(
  ws: Workspace,
  start: string,
  ignore: IgnoreStack,
  opts: WalkOptions,
): Promise<{ files: string[]; truncated: boolean }> {
  const files: string[] = [];
  let seen = 0;
  const deadline = opts.deadline ?? Date.now() + WALK_BUDGET_MS;
  let lastYield = Date.now();
  const visit = async (dir: string): Promise<boolean> => {
    const dirents = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const rules = await ignore.forDir(dir, ws.roots);
    for (const d of dirents.sort((a, b) => a.name.localeCompare(b.name))) {
      if (++seen > MAX_WALK_ENTRIES || files.length >= opts.maxFiles) return false;
      // Matching is linear, but a folder of 20,000 entries against many rules still adds up:
      // other calls (and /healthz) get the event loop every few milliseconds.
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((r) => setImmediate(r));
        lastYield = Date.now();
        if (lastYield > deadline) return false;
      }
      // Symlinks are never followed in a walk: one could lead out of the sandbox or loop.
      if (d.name.startsWith(".") || d.isSymbolicLink()) continue;
      const abs = path.join(dir, d.name);
      if (d.isDirectory()) {
        if (NEVER_WALKED.has(d.name) || rules.ignored(abs, true)) continue;
        if (!(await visit(abs))) return false;
      } else if (d.isFile() && !rules.ignored(abs, false)) {
        const rel = path.relative(start, abs).split(path.sep).join("/");
        if (!opts.match || opts.match(rel)) files.push(abs);
      }
    }
    return true;
  };
  const complete = await visit(start);
  return { files, truncated: !complete };
}

/** Paths, folders and globs -> files. A file named exactly is kept even when hidden or ignored. */
export async function expandPaths(
  ws: Workspace,
  patterns: readonly string[],
  maxFiles: number,
): Promise<Expanded> {
  const ignore = new IgnoreStack();
  // One budget for all the patterns of a call: 200 globs must not mean 200 walks of 10 s each.
  const deadline = Date.now() + WALK_BUDGET_MS;
  const files: string[] = [];
  const notes: string[] = [];
  const add = (f: string) => !files.includes(f) && files.push(f);
  for (const pattern of patterns) {
    const room = maxFiles - files.length;
    if (room <= 0) {
      notes.push(`${pattern}: not expanded, the limit of ${maxFiles} files was reached`);
      continue;
    }
    const { start, match } = splitGlob(pattern);
    const real = await ws.locate(start);
    const isDir = (await stat(real)).isDirectory();
    if (!isDir && !match) {
      add(real);
      continue;
    }
    if (!isDir) throw new MediaError(`${start} is a file, so the pattern ${pattern} cannot match inside it.`);
    const found = await walkFiles(ws, real, ignore, {
      maxFiles: room,
      deadline,
      ...(match ? { match } : {}),
    });
    if (found.files.length === 0)
      notes.push(`${pattern}: no files (hidden, .gitignore'd and node_modules skipped)`);
    if (found.truncated) notes.push(`${pattern}: stopped after ${found.files.length} files`);
    found.files.forEach(add);
  }
  return { files, notes };
}

/** A glob's folder part (no magic in it) and a matcher for the rest; a plain path has no matcher. */
export function splitGlob(pattern: string): { start: string; match?: (rel: string) => boolean } {
  const p = pattern.replace(/\\/g, "/");
  if (!isGlob(p)) return { start: pattern };
  const parts = p.split("/");
  const magic = parts.findIndex(isGlob);
  const start = parts.slice(0, magic).join("/") || (p.startsWith("/") ? "/" : ".");
  const re = globToRegExp(parts.slice(magic).join("/"));
  return { start, match: (rel) => re.test(rel) };
}
