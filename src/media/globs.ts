// Glob patterns and .gitignore rules as regular expressions, for choosing which files of a
// workspace GLM may see. Paths are always "/"-separated and relative to the pattern's base.

/** True when a path argument is a glob rather than a plain path. */
export function isGlob(p: string): boolean {
  return /[*?[{]/.test(p);
}

/** A glob (`src/**\/*.ts`, `*.{md,txt}`, `a/?.js`) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        // "**/" matches zero or more whole directories; a trailing "**" matches everything below.
        const slash = glob[i + 2] === "/";
        re += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else re += "[^/]*";
    } else if (ch === "?") re += "[^/]";
    else if (ch === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        re += `[${body}]`;
        i = end;
      }
    } else if (ch === "{") {
      braces++;
      re += "(?:";
    } else if (ch === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (ch === "," && braces > 0) re += "|";
    else re += ch.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}${")".repeat(braces)}$`);
}

interface IgnoreRule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

/**
 * The rules of one .gitignore (git-scm.com/docs/gitignore): blank lines and `#` comments skipped,
 * `!` re-includes, a trailing `/` matches directories only, a pattern with a `/` elsewhere is
 * anchored at the file's folder, one without matches a name at any depth; the last match wins.
 */
export class GitIgnore {
  private constructor(private readonly rules: IgnoreRule[]) {}

  static parse(text: string): GitIgnore {
    const rules: IgnoreRule[] = [];
    for (const raw of text.split(/\r?\n/)) {
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
      const re = globToRegExp(anchored ? body : `**/${body}`);
      rules.push({ re, negate, dirOnly });
    }
    return new GitIgnore(rules);
  }

  /** Whether `rel` (relative to this file's folder, "/"-separated) is ignored; undefined = no rule says. */
  verdict(rel: string, isDir: boolean): boolean | undefined {
    let out: boolean | undefined;
    for (const r of this.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.re.test(rel)) out = !r.negate;
    }
    return out;
  }
}
