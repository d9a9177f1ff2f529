// Glob patterns and .gitignore rules, for choosing which files of a workspace GLM may see. Paths
// are always "/"-separated and relative to the pattern's base.
//
// Patterns come from clients, from GLM and from cloned repositories' .gitignore files, so they are
// matched by a hand-built automaton (one pass over the path, a set of live states), never by a
// backtracking RegExp: "**?**?…Z" held the event loop for minutes as a regex; here the cost is at
// most pattern length × path length.
import { MediaError } from "../media/errors.js";

/** Longest glob accepted from a caller (a .gitignore line longer than this is skipped). */
export const MAX_GLOB_CHARS = 512;
/** Rules of one .gitignore used at most, and their characters in all: the rest are skipped (git has no limit, a walk must). */
export const MAX_IGNORE_RULES = 1_000;
export const MAX_IGNORE_CHARS = 32 * 1024;

/** True when a path argument is a glob rather than a plain path. */
export function isGlob(p: string): boolean {
  return /[*?[{]/.test(p);
}

/** One character test; `undefined` target = a free (epsilon) move. */
interface Edge {
  test: (ch: string) => boolean;
  to: number;
}
interface State {
  edges: Edge[];
  free: number[];
}

const anyChar = () => true;
const notSlash = (ch: string) => ch !== "/";
const isSlash = (ch: string) => ch === "/";

/** A compiled glob: `test(path)` runs in O(states × path length), whatever the pattern. */
export class Glob {
  private constructor(
    private readonly states: State[],
    private readonly accept: number,
  ) {}

  /** Compiles a glob (`src/**\/*.ts`, `*.{md,txt}`, `a/?.js`, `[a-c]`); throws MediaError when too long. */
  static compile(glob: string): Glob {
    if (glob.length > MAX_GLOB_CHARS)
      throw new MediaError(
        `The glob pattern is ${glob.length} characters, over the ${MAX_GLOB_CHARS}-character limit: use a shorter pattern or a folder path.`,
      );
    const states: State[] = [];
    const add = () => states.push({ edges: [], free: [] }) - 1;
    const start = add();
    let i = 0;
    // Parses a sequence until "," or "}" (inside braces) or the end; returns the state it ends in.
    const seq = (from: number, depth: number): number => {
      let cur = from;
      while (i < glob.length) {
        const ch = glob[i]!;
        if (depth > 0 && (ch === "," || ch === "}")) return cur;
        if (ch === "*") {
          const next = add();
          if (glob[i + 1] === "*") {
            if (glob[i + 2] === "/") {
              // "**/" matches zero or more whole directories: nothing, or anything ending in "/".
              const mid = add();
              states[cur]!.free.push(next);
              states[cur]!.edges.push({ test: isSlash, to: next }, { test: anyChar, to: mid });
              states[mid]!.edges.push({ test: isSlash, to: next }, { test: anyChar, to: mid });
              i += 3;
            } else {
              // A trailing (or inner) "**" matches everything, slashes included.
              states[cur]!.free.push(next);
              states[next]!.edges.push({ test: anyChar, to: next });
              i += 2;
            }
          } else {
            states[cur]!.free.push(next);
            states[next]!.edges.push({ test: notSlash, to: next });
            i += 1;
          }
          cur = next;
        } else if (ch === "{") {
          i++;
          const end = add();
          for (;;) {
            const branch = add();
            states[cur]!.free.push(branch);
            states[seq(branch, depth + 1)]!.free.push(end);
            if (i >= glob.length) break; // an unclosed "{" closes at the end
            if (glob[i++] === "}") break;
          }
          cur = end;
        } else {
          const next = add();
          let test: (c: string) => boolean;
          const close = ch === "[" ? glob.indexOf("]", i + 1) : -1;
          if (ch === "?") test = notSlash;
          else if (close > 0) {
            test = charClass(glob.slice(i + 1, close));
            i = close;
          } else test = (c) => c === ch;
          states[cur]!.edges.push({ test, to: next });
          cur = next;
          i++;
        }
      }
      return cur;
    };
    // A "}" or "," outside braces is a plain character: seq(…, 0) runs to the end of the glob.
    return new Glob(states, seq(start, 0));
  }

  test(p: string): boolean {
    const n = this.states.length;
    // Generation marks instead of fresh sets: no allocation per character.
    const mark = new Uint32Array(n);
    let gen = 1;
    let live: number[] = [];
    const enter = (s: number, into: number[]) => {
      if (mark[s] === gen) return;
      mark[s] = gen;
      into.push(s);
      for (const f of this.states[s]!.free) enter(f, into);
    };
    enter(0, live);
    for (let k = 0; k < p.length && live.length; k++) {
      const ch = p[k]!;
      gen++;
      const next: number[] = [];
      for (const s of live) for (const e of this.states[s]!.edges) if (e.test(ch)) enter(e.to, next);
      live = next;
    }
    return live.includes(this.accept);
  }
}

/** A bracket expression body (`a-z0-9`, `!abc`, `^abc`) as a test; a negated class never matches "/". */
function charClass(body: string): (ch: string) => boolean {
  const negate = body.startsWith("!") || body.startsWith("^");
  const set = negate ? body.slice(1) : body;
  const ranges: [number, number][] = [];
  for (let j = 0; j < set.length; j++) {
    const lo = set.charCodeAt(j);
    if (set[j + 1] === "-" && j + 2 < set.length) {
      ranges.push([lo, set.charCodeAt(j + 2)]);
      j += 2;
    } else ranges.push([lo, lo]);
  }
  return (ch) => {
    const c = ch.charCodeAt(0);
    const hit = ranges.some(([a, b]) => c >= a && c <= b);
    return negate ? !hit && ch !== "/" : hit;
  };
}

/** A glob compiled for matching whole paths (the old name: callers only use `.test`). */
export function globToRegExp(glob: string): Glob {
  return Glob.compile(glob);
}

interface IgnoreRule {
  glob: Glob;
  negate: boolean;
  dirOnly: boolean;
}

/**
 * The rules of one .gitignore (git-scm.com/docs/gitignore): blank lines and `#` comments skipped,
 * `!` re-includes, a trailing `/` matches directories only, a pattern with a `/` elsewhere is
 * anchored at the file's folder, one without matches a name at any depth; the last match wins.
 * A cloned repository writes this file: lines over MAX_GLOB_CHARS, and rules past MAX_IGNORE_RULES
 * or MAX_IGNORE_CHARS, are skipped, so it cannot make one path's check cost more than that.
 */
export class GitIgnore {
  private constructor(private readonly rules: IgnoreRule[]) {}

  static parse(text: string): GitIgnore {
    const rules: IgnoreRule[] = [];
    let chars = 0;
    for (const raw of text.split(/\r?\n/)) {
      if (rules.length >= MAX_IGNORE_RULES) break;
      if (raw.length > MAX_GLOB_CHARS) continue;
      let line = raw.replace(/(?<!\\)\s+$/, "");
      if (!line || line.startsWith("#")) continue;
      const negate = line.startsWith("!");
      if (negate) line = line.slice(1);
      line = line.replace(/^\\([#!])/, "$1");
      const dirOnly = line.endsWith("/");
      if (dirOnly) line = line.slice(0, -1);
      if (!line) continue;
      const anchored = line.includes("/");
      const body = line.replace(/^\//, "");
      if ((chars += body.length) > MAX_IGNORE_CHARS) break;
      const glob = Glob.compile(anchored ? body : `**/${body}`);
      rules.push({ glob, negate, dirOnly });
    }
    return new GitIgnore(rules);
  }

  /** Whether `rel` (relative to this file's folder, "/"-separated) is ignored; undefined = no rule says. */
  verdict(rel: string, isDir: boolean): boolean | undefined {
    let out: boolean | undefined;
    for (const r of this.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.glob.test(rel)) out = !r.negate;
    }
    return out;
  }
}
