// The .gitignore files that apply to a folder: every one from the sandbox root down to it, the
// deeper file's verdict winning (git-scm.com/docs/gitignore: "patterns in lower level files
// override those in higher level files"). Used only to choose files; never sent anywhere.
import { lstat, readFile } from "node:fs/promises";
import path from "node:path";
import { GitIgnore } from "./globs.js";
import { isInside } from "../media/sources.js";

const MAX_GITIGNORE_BYTES = 256 * 1024;

export interface DirRules {
  /** Whether an entry of this folder (absolute path) is ignored. */
  ignored(abs: string, isDir: boolean): boolean;
}

export class IgnoreStack {
  private readonly files = new Map<string, Promise<GitIgnore | undefined>>();

  async forDir(dir: string, roots: readonly string[]): Promise<DirRules> {
    const root = roots.find((r) => isInside(dir, r)) ?? dir;
    const chain: string[] = [];
    for (let d = dir; ; d = path.dirname(d)) {
      chain.unshift(d);
      if (d === root || path.dirname(d) === d) break;
    }
    const layers: { dir: string; rules: GitIgnore }[] = [];
    for (const d of chain) {
      const rules = await this.load(d);
      if (rules) layers.push({ dir: d, rules });
    }
    return {
      ignored(abs, isDir) {
        let out = false;
        for (const layer of layers) {
          const rel = path.relative(layer.dir, abs).split(path.sep).join("/");
          out = layer.rules.verdict(rel, isDir) ?? out;
        }
        return out;
      },
    };
  }

  private load(dir: string): Promise<GitIgnore | undefined> {
    let p = this.files.get(dir);
    if (!p) {
      p = readIgnoreFile(path.join(dir, ".gitignore"));
      this.files.set(dir, p);
    }
    return p;
  }
}

async function readIgnoreFile(file: string): Promise<GitIgnore | undefined> {
  try {
    // A symlinked or huge .gitignore is not trusted to decide anything.
    const st = await lstat(file);
    if (!st.isFile() || st.size > MAX_GITIGNORE_BYTES) return undefined;
    return GitIgnore.parse(await readFile(file, "utf8"));
  } catch {
    return undefined;
  }
}
