// The files GLM may see, for one call: the same sandbox as local media (--allow-dir, the client's
// roots, over stdio the working directory), text only. Every file read goes through
// loadSourceBytes, which opens with O_NOFOLLOW and then verifies the opened file's real path
// (media/sources.ts), refuses key-like files and sniffs the bytes: binary is never sent as text.
import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { redactKnown } from "../util/redact.js";
import { MediaError } from "../media/errors.js";
import type { IgnoreStack } from "./ignore-stack.js";
import { loadOptions, type MediaPolicy } from "../media/policy.js";
import {
  isInside,
  loadSourceBytes,
  localReadError,
  noTextDirsError,
  resolveLocalPath,
  shown,
} from "../media/sources.js";

/** Largest single text file read (a bigger one is refused: ask for the part that matters). */
export const MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024;
/** Folders never walked into unless named exactly (they are rarely what a review is about). */
export const NEVER_WALKED = new Set(["node_modules"]);

export interface TextFile {
  /** How GLM and the agent see it: relative to the workspace base when inside it. */
  path: string;
  real: string;
  text: string;
  bytes: number;
}

export interface DirEntry {
  name: string;
  kind: "file" | "dir" | "link" | "other";
  /** Hidden (dot) or .gitignore'd: left out of walks and listings unless named exactly. */
  skipped?: "hidden" | "ignored";
}

export class Workspace {
  private constructor(
    readonly policy: MediaPolicy,
    /** Real paths of the folders files may come from. */
    readonly roots: readonly string[],
    /** Where relative paths start: the working directory when inside a root, else the first root. */
    readonly base: string,
  ) {}

  /** The workspace of one call; a MediaError (one sentence) when local reads are off for it. */
  static async open(policy: MediaPolicy): Promise<Workspace> {
    if (policy.localReadsBlocked !== undefined)
      throw new MediaError(
        `Local files cannot be read for this call: ${policy.localReadsBlocked}; fix the roots the client sends (file:// URIs of folders on this machine) or start the server with --allow-dir <dir>.`,
      );
    if (policy.noTextDirs !== undefined && policy.allowDirs.length === 0)
      throw noTextDirsError("local text files", policy.noTextDirs);
    if (!policy.localReadsAllowed || policy.allowDirs.length === 0)
      throw new MediaError(
        "GLM cannot read local files over HTTP unless the server allows a directory: start the server with --allow-dir <dir> (GLM_MCP_ALLOW_DIRS), or paste the text into the prompt instead.",
      );
    const roots: string[] = [];
    for (const dir of policy.allowDirs) {
      const real = await realpath(dir).catch(() => undefined);
      if (real && !roots.includes(real)) roots.push(real);
    }
    if (roots.length === 0)
      throw new MediaError(
        `None of the allowed folders (${policy.allowDirs.join(", ")}) exists; fix --allow-dir or the client's roots.`,
      );
    const cwd = await realpath(process.cwd()).catch(() => process.cwd());
    const base = roots.some((r) => isInside(cwd, r)) ? cwd : roots[0]!;
    return new Workspace(policy, roots, base);
  }

  /** Absolute path of a user- or GLM-given path (relative ones start at the base). */
  resolve(p: string): string {
    return resolveLocalPath(p, this.base);
  }

  /** The name shown for an absolute path: relative to the base when inside it. */
  display(abs: string): string {
    if (!isInside(abs, this.base)) return abs;
    return path.relative(this.base, abs).split(path.sep).join("/") || ".";
  }

  /** The real path of `p` when it lies inside a root; a MediaError GLM or the agent can read otherwise. */
  async locate(p: string): Promise<string> {
    if (p.includes("\0"))
      throw new MediaError(`The path ${shown(p)} contains a NUL character; pass a real path.`);
    const abs = this.resolve(p);
    const real = await realpath(abs).catch((err: unknown) => {
      throw localReadError(err, p);
    });
    // The real target of a symlink that leads out is not named: that would tell GLM what lies outside.
    if (!this.roots.some((r) => isInside(real, r)))
      throw new MediaError(
        `${shown(p)} ${real === abs ? "is" : "leads (through a symbolic link)"} outside the folders this server may read (${this.roots.join(", ")}); only files inside them can be read.`,
      );
    return real;
  }

  /** One text file, read through the media sandbox (open-then-verify, key-like files refused, binary refused). */
  async readText(p: string): Promise<TextFile> {
    await this.locate(p); // the sandbox's own sentence first; loadSourceBytes verifies again after opening
    const loaded = await loadSourceBytes(p, {
      ...loadOptions(this.policy, "text"),
      mediaAnywhere: false,
      allowDirs: this.roots,
      cwd: this.base,
      maxBytes: Math.min(this.policy.inputMaxBytes, MAX_TEXT_FILE_BYTES),
      tooBigHint: "ask for the part that matters (a line range, or a search)",
    });
    const real = loaded.path ?? this.resolve(p);
    if (loaded.type.category !== "text")
      throw new MediaError(
        `${this.display(real)} is not a text file (its bytes look like ${loaded.type.category === "unknown" ? "binary data" : loaded.type.mime}); only text files are read.`,
      );
    // The server's own key (or token) pasted into a file never goes out with it.
    const text = redactKnown(loaded.bytes.toString("utf8").replace(/^\uFEFF/, ""));
    return { path: this.display(real), real, text, bytes: loaded.bytes.length };
  }

  /** Entries of a directory inside the sandbox, hidden and ignored ones marked. */
  async list(p: string, ignore: IgnoreStack): Promise<{ dir: string; entries: DirEntry[] }> {
    const real = await this.locate(p);
    if (!(await stat(real)).isDirectory()) throw new MediaError(`${shown(p)} is a file, not a directory.`);
    const dirents = await readdir(real, { withFileTypes: true });
    const rules = await ignore.forDir(real, this.roots);
    const entries = dirents
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((d) => entryOf(d, rules.ignored(path.join(real, d.name), d.isDirectory())));
    return { dir: this.display(real), entries };
  }
}

function entryOf(d: Dirent, ignored: boolean): DirEntry {
  const kind = d.isDirectory() ? "dir" : d.isFile() ? "file" : d.isSymbolicLink() ? "link" : "other";
  const skipped = d.name.startsWith(".")
    ? "hidden"
    : ignored || (kind === "dir" && NEVER_WALKED.has(d.name))
      ? "ignored"
      : undefined;
  return { name: d.name, kind, ...(skipped ? { skipped } : {}) };
}
