// One way in for every media argument: URL | local path | data: URI | bare base64 -> bytes.
// Local reads are sandboxed (allowed dirs, symlinks resolved) and size-capped before reading.
import { constants as fsConstants } from "node:fs";
import { open, readlink, realpath, stat, type FileHandle } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MediaError } from "./errors.js";
import { sniffMediaType, type MediaCategory, type SniffedType } from "./sniff.js";
import type { ProxyEnv } from "../glm/outbound.js";
import { fetchUrlBytes, isHttpUrl } from "./url-fetch.js";
import { formatBytes } from "../util/format.js";
import { secretFileReason } from "./secret-files.js";

export type SourceKind = "url" | "path" | "data-uri" | "base64";

export interface LoadOptions {
  /** Local reads must resolve inside one of these directories (empty = anywhere). */
  allowDirs: readonly string[];
  /** Files whose bytes are an image, audio or video may also come from outside allowDirs (stdio). */
  mediaAnywhere?: boolean;
  /** Key-like files (private keys, .env, credentials, by name or content) may be read. */
  allowSecretFiles?: boolean;
  /** False over HTTP without configured allow dirs: paths are refused outright. */
  localReadsAllowed: boolean;
  /** Why local reads are off when it is not the HTTP rule (a clause, e.g. the client's roots could not be read). */
  localReadsBlocked?: string;
  /** Set when no folder is a text root (allowDirs is then empty but means "nowhere", not "anywhere"): a clause. */
  noTextDirs?: string;
  /** Whether URLs on loopback/private hosts may be downloaded (checked on every redirect hop too). */
  allowPrivate: boolean;
  maxBytes: number;
  signal?: AbortSignal;
  /** Noun for messages: "image", "audio", "video", "document". */
  what: string;
  /** When given, the sniffed category must be one of these (the upload guard). */
  expect?: readonly MediaCategory[];
  /** Base directory for relative paths (default: process.cwd()). */
  cwd?: string;
  /** Download timeout for URLs. */
  timeoutMs?: number;
  /** Replaces the generic way out in "too large" messages, e.g. "pass it as a URL instead". */
  tooBigHint?: string;
  /** Proxy settings for downloads (the outbound factory picks the dispatcher per hop). */
  proxy?: ProxyEnv;
}

export interface LoadedSource {
  bytes: Buffer;
  kind: SourceKind;
  /** Short human name: file name, URL, or "base64 image (12.3 KB)". Never the whole payload. */
  displayName: string;
  /** Type sniffed from the bytes. */
  type: SniffedType;
  /** Absolute real path, for local files. */
  path?: string;
}

const BASE64_RE = /^[A-Za-z0-9+/_-]+={0,2}$/;
const DATA_URI_RE = /^data:([^,]*?),/i;

/** Which of the four forms a source string is, from its shape alone. */
export function classifySource(input: string): SourceKind {
  const s = input.trim();
  if (isHttpUrl(s)) return "url";
  if (/^data:/i.test(s)) return "data-uri";
  // Base64 of a JPEG starts with "/9j/", which also looks like an absolute path: the magic number decides.
  if (base64OfMedia(s)) return "base64";
  if (looksLikePath(s)) return "path";
  if (looksLikeBase64(s)) return "base64";
  return "path";
}

function looksLikePath(s: string): boolean {
  return (
    /^file:\/\//i.test(s) ||
    s.startsWith("/") ||
    s.startsWith("./") ||
    s.startsWith("../") ||
    s.startsWith("~") ||
    s.startsWith(".\\") ||
    /^[A-Za-z]:[\\/]/.test(s) ||
    s.startsWith("\\\\") ||
    // A file name with an extension ("shot.png", "docs/a.pdf") is never valid base64 ('.' is not in the alphabet).
    /\.[A-Za-z0-9]{1,5}$/.test(s)
  );
}

/** Base64 text whose decoded head carries a known binary media magic number. */
function base64OfMedia(s: string): boolean {
  const compact = s.replace(/\s+/g, "");
  if (compact.length < 16 || !BASE64_RE.test(compact)) return false;
  const category = sniffMediaType(
    Buffer.from(compact.slice(0, 64), /[-_]/.test(compact) ? "base64url" : "base64"),
  ).category;
  return category !== "unknown" && category !== "text";
}

/** Otherwise bare base64 is only assumed for long runs of the base64 alphabet. */
function looksLikeBase64(s: string): boolean {
  const compact = s.replace(/\s+/g, "");
  return compact.length >= 256 && BASE64_RE.test(compact);
}

/** Paths in messages: never echo a huge argument back (it may be mistaken base64). */
export function shown(p: string): string {
  return p.length > 160 ? `${p.slice(0, 80)}…${p.slice(-40)}` : p;
}

/** Maps every local path form to an absolute path on this machine. */
export function resolveLocalPath(input: string, cwd: string = process.cwd()): string {
  let p = input.trim();
  if (/^file:\/\//i.test(p)) {
    // file:///C:/x on a non-Windows host decodes to "/C:/x": treat it as the Windows path C:/x.
    const u = new URL(p);
    const decoded = decodeURIComponent(u.pathname);
    if (/^\/[A-Za-z]:\//.test(decoded) && process.platform !== "win32") p = decoded.slice(1);
    else p = fileURLToPath(u);
  }
  if (p === "~") return os.homedir();
  if (p.startsWith("~/") || p.startsWith("~\\")) return path.join(os.homedir(), p.slice(2));
  if (process.platform !== "win32") {
    const drive = /^([A-Za-z]):[\\/](.*)$/.exec(p);
    if (drive) return path.posix.join("/mnt", drive[1]!.toLowerCase(), drive[2]!.replace(/\\/g, "/"));
    // \\wsl$\Distro\home\x and \\wsl.localhost\Distro\home\x are this machine's own files under WSL.
    const wsl = /^\\\\wsl(?:\$|\.localhost)\\[^\\]+\\(.*)$/i.exec(p);
    if (wsl) return "/" + wsl[1]!.replace(/\\/g, "/");
  }
  return path.resolve(cwd, p);
}

/** Real path of `dir`, or the resolved path when it does not exist (yet). */
async function realDir(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch {
    return path.resolve(dir);
  }
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  // Only a ".." path segment leaves the parent: "..shot.png" is a legitimate name inside it.
  return rel === "" || (rel !== ".." && !rel.startsWith(".." + path.sep) && !path.isAbsolute(rel));
}

/** "image file", "audio file"; a plain "file" for a source of no particular kind (never "file file"). */
function fileOf(what: string): string {
  return what === "file" ? "file" : `${what} file`;
}

/**
 * One actionable sentence for a failed local read (realpath, open, stat or read), by errno code,
 * so the agent never sees raw "EACCES: permission denied, open '…'" text.
 */
export function localReadError(err: unknown, file: string, what = "file"): MediaError {
  if (err instanceof MediaError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const name = `The ${fileOf(what)} ${shown(file)}`;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return new MediaError(
        `${name} does not exist; check the path (relative paths start at the MCP server's working directory ${process.cwd()}), or pass an absolute path or URL.`,
      );
    case "ENAMETOOLONG":
      return new MediaError(
        `The ${what} source is neither a URL, an existing path, a data: URI nor base64 of a known ${what} format; pass one of those.`,
      );
    case "EACCES":
    case "EPERM":
      return new MediaError(
        `${name} cannot be read (permission denied): it is not readable by the MCP server's user; fix its permissions, or pass a URL, a data: URI or base64 instead.`,
      );
    case "ELOOP":
      return new MediaError(
        `${name} cannot be read: it goes through too many symbolic links (a symlink loop?); pass the real path of the file.`,
      );
    case "EISDIR":
      return new MediaError(
        `${shown(file)} is a directory; pass the path of ${article(what)} ${fileOf(what)} inside it.`,
      );
    default:
      return new MediaError(
        `${name} could not be read (${code ?? "unknown error"}); check the file, or pass a URL, a data: URI or base64 instead.`,
      );
  }
}

/** Resolves symlinks (for the message and the open) without deciding anything yet. */
async function realPathOf(file: string, what: string): Promise<string> {
  try {
    return await realpath(file);
  } catch (err) {
    throw localReadError(err, file, what);
  }
}

/** Whether `real` lies inside one of `allowDirs` (empty = anywhere). */
async function insideAllowed(real: string, allowDirs: readonly string[]): Promise<boolean> {
  if (allowDirs.length === 0) return true;
  for (const dir of allowDirs) if (isInside(real, await realDir(dir))) return true;
  return false;
}

function notAllowed(file: string, real: string, allowDirs: readonly string[], what: string): MediaError {
  const which = real === file ? shown(file) : `${shown(file)} (really ${shown(real)})`;
  return new MediaError(
    `Reading ${which} is not allowed: local ${fileOf(what)}s must be inside ${allowDirs.join(", ")}; move the file there, pass a URL, or add its folder with --allow-dir / GLM_MCP_ALLOW_DIRS.`,
  );
}

/** Resolves symlinks and checks the real file lies inside an allowed directory. */
export async function checkAllowedPath(
  file: string,
  allowDirs: readonly string[],
  what = "file",
): Promise<string> {
  const real = await realPathOf(file, what);
  if (await insideAllowed(real, allowDirs)) return real;
  throw notAllowed(file, real, allowDirs, what);
}

/**
 * The path of the file an open handle really refers to. On Linux /proc/self/fd/N names it; where
 * there is no /proc, the handle's device and inode must match the checked path's (stat, not
 * lstat: `real` has no symlinks left), which still catches a swap that happened before the open.
 */
export async function openedPath(handle: FileHandle, real: string): Promise<string | undefined> {
  try {
    return await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    const [a, b] = await Promise.all([handle.stat(), stat(real).catch(() => undefined)]);
    return b && a.dev === b.dev && a.ino === b.ino ? real : undefined;
  }
}

interface LocalRead {
  bytes: Buffer;
  real: string;
  /** Whether the file lies inside allowDirs (else only media may be used, when mediaAnywhere). */
  inside: boolean;
}

async function readLocal(input: string, opts: LoadOptions): Promise<LocalRead> {
  if (opts.localReadsBlocked !== undefined) {
    throw new MediaError(
      `Local ${fileOf(opts.what)}s cannot be read for this call: ${opts.localReadsBlocked}; pass a URL or a data: URI / base64 instead, or fix the roots the client sends (file:// URIs of folders on this machine).`,
    );
  }
  if (!opts.localReadsAllowed) {
    throw new MediaError(
      `Local ${fileOf(opts.what)}s cannot be read over HTTP unless the server allows a directory: pass a URL or a data: URI / base64 instead, or start the server with --allow-dir <dir> (GLM_MCP_ALLOW_DIRS).`,
    );
  }
  if (input.includes("\0"))
    throw new MediaError(
      `The ${opts.what} path contains a NUL character, which no file name can; pass the real path, a URL, a data: URI or base64.`,
    );
  const file = resolveLocalPath(input, opts.cwd);
  const real = await realPathOf(file, opts.what);
  // A file outside the dirs is refused before it is opened unless its bytes may still qualify it.
  if (!opts.mediaAnywhere && !(await insideAllowed(real, opts.allowDirs)))
    throw notAllowed(file, real, opts.allowDirs, opts.what);
  // Open, THEN verify what was opened: a directory on the way swapped for a symlink between the
  // check above and this open would otherwise hand over a file from anywhere. O_NOFOLLOW refuses a
  // symlink as the last component; /proc/self/fd (or dev/ino) catches one anywhere on the path.
  // O_NONBLOCK: opening a FIFO for reading would otherwise block (a libuv pool thread) until a
  // writer appears; this way the open returns at once and the isFile() check below refuses it.
  const handle = await open(
    real,
    fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOFOLLOW ?? 0),
  ).catch((err: unknown) => {
    throw (err as NodeJS.ErrnoException).code === "ELOOP"
      ? changedWhileOpening(file, opts.what)
      : localReadError(err, file, opts.what);
  });
  try {
    const opened = await openedPath(handle, real);
    if (opened !== real) throw changedWhileOpening(file, opts.what);
    const inside = opts.noTextDirs === undefined && (await insideAllowed(opened, opts.allowDirs));
    if (!inside && !opts.mediaAnywhere) throw notAllowed(file, real, opts.allowDirs, opts.what);
    const st = await handle.stat();
    if (!st.isFile())
      throw new MediaError(
        `${shown(file)} is not a regular file; pass the path of ${article(opts.what)} ${fileOf(opts.what)}.`,
      );
    if (st.size > opts.maxBytes) {
      throw new MediaError(
        `The ${fileOf(opts.what)} ${shown(file)} is ${formatBytes(st.size)}, over the ${formatBytes(opts.maxBytes)} limit for local ${fileOf(opts.what)}s; ${opts.tooBigHint ?? "pass a smaller file or a URL"}.`,
      );
    }
    const bytes = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const { bytesRead } = await handle.read(bytes, off, st.size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return { bytes: off === st.size ? bytes : bytes.subarray(0, off), real, inside };
  } catch (err) {
    throw localReadError(err, file, opts.what);
  } finally {
    await handle.close();
  }
}

/** The sentence for a text read when no folder is a text root (stdio started in / or the home folder). */
export function noTextDirsError(what: string, reason: string): MediaError {
  return new MediaError(
    `Reading ${what} is not allowed: ${reason}; only images, audio and video are read from anywhere. Start the server in your project folder, add a folder with --allow-dir <dir> (GLM_MCP_ALLOW_DIRS), or let the client send its roots.`,
  );
}

function changedWhileOpening(file: string, what: string): MediaError {
  return new MediaError(
    `The ${fileOf(what)} ${shown(file)} changed while it was being opened (a symbolic link appeared on its path); pass the real path of a file that is not being moved.`,
  );
}

/**
 * What a local file may be used for once its bytes are known: outside the allowed dirs only
 * media (image, audio, video by its bytes) when mediaAnywhere; never a key-like file unless
 * allowSecretFiles.
 */
function assertLocalUse(input: string, read: LocalRead, type: SniffedType, opts: LoadOptions): void {
  const media = type.category === "image" || type.category === "audio" || type.category === "video";
  if (!read.inside && !media) {
    // A media tool gets the sentence it would give inside the dirs: the file is not that medium.
    if (["image", "audio", "video"].includes(opts.what)) throw notThatKind(input, opts.what, type);
    const file = resolveLocalPath(input, opts.cwd);
    if (opts.noTextDirs !== undefined) throw noTextDirsError(shown(file), opts.noTextDirs);
    throw new MediaError(
      `Reading ${shown(file)} is not allowed: outside ${opts.allowDirs.join(", ")} only images, audio and video are read (its bytes look like ${describeType(type)}); move the file into one of those folders, or add its folder with --allow-dir / GLM_MCP_ALLOW_DIRS.`,
    );
  }
  if (media || opts.allowSecretFiles) return;
  const why = secretFileReason(read.real, read.bytes);
  if (why)
    throw new MediaError(
      `The file ${shown(input.trim())} is not sent: ${why}, and key-like files stay on this machine; pass a file without secrets, or start the server with --allow-secret-files (GLM_MCP_ALLOW_SECRET_FILES=1) if it really must go.`,
    );
}

/** Decodes base64 or base64url, tolerating whitespace and missing padding; undefined if not base64. */
export function decodeBase64Loose(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, "");
  if (compact.length === 0 || !BASE64_RE.test(compact)) return undefined;
  const bytes = Buffer.from(compact, /[-_]/.test(compact) ? "base64url" : "base64");
  return bytes.length > 0 ? bytes : undefined;
}

function parseDataUri(input: string, what: string): Buffer {
  const m = DATA_URI_RE.exec(input.trim());
  if (!m) throw new MediaError(`The ${what} data: URI has no comma; use the form data:<mime>;base64,<data>.`);
  const meta = m[1] ?? "";
  const payload = input.trim().slice(m[0].length);
  if (/;base64$/i.test(meta)) {
    const bytes = decodeBase64Loose(payload);
    if (!bytes)
      throw new MediaError(
        `The ${what} data: URI does not contain valid base64; re-encode the file as base64.`,
      );
    return bytes;
  }
  try {
    return Buffer.from(decodeURIComponent(payload), "utf8");
  } catch {
    throw new MediaError(
      `The ${what} data: URI is not valid percent-encoded text; use data:<mime>;base64,<data>.`,
    );
  }
}

function describeInline(kind: "data-uri" | "base64", what: string, bytes: Buffer): string {
  return `${kind === "data-uri" ? "data: URI" : "base64"} ${what} (${formatBytes(bytes.length)})`;
}

function urlDisplayName(url: string): string {
  return url.length > 200 ? url.slice(0, 200) + "…" : url;
}

/** Loads any source form into bytes (URLs are downloaded with the same caps). */
export async function loadSourceBytes(input: string, opts: LoadOptions): Promise<LoadedSource> {
  const kind = classifySource(input);
  let loaded: LoadedSource;
  switch (kind) {
    case "url": {
      const fetched = await fetchUrlBytes(input.trim(), {
        maxBytes: opts.maxBytes,
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        what: opts.what,
        tooBigHint: opts.tooBigHint,
        proxy: opts.proxy,
        allowPrivate: opts.allowPrivate,
      });
      loaded = {
        bytes: fetched.bytes,
        kind,
        displayName: urlDisplayName(input.trim()),
        type: sniffMediaType(fetched.bytes),
      };
      break;
    }
    case "data-uri":
    case "base64": {
      const bytes = kind === "data-uri" ? parseDataUri(input, opts.what) : decodeBase64Loose(input);
      if (!bytes)
        throw new MediaError(
          `The ${opts.what} source is neither a URL, an existing path, a data: URI nor valid base64; pass one of those.`,
        );
      if (bytes.length > opts.maxBytes) {
        throw new MediaError(
          `The inline ${opts.what} is ${formatBytes(bytes.length)}, over the ${formatBytes(opts.maxBytes)} limit; ${opts.tooBigHint ?? "pass a smaller file or a URL"}.`,
        );
      }
      loaded = {
        bytes,
        kind,
        displayName: describeInline(kind, opts.what, bytes),
        type: sniffMediaType(bytes),
      };
      break;
    }
    case "path": {
      const read = await readLocal(input, opts);
      const type = sniffMediaType(read.bytes);
      if (read.bytes.length > 0) assertLocalUse(input, read, type, opts);
      loaded = { bytes: read.bytes, kind, displayName: path.basename(read.real), type, path: read.real };
      break;
    }
  }
  if (loaded.bytes.length === 0) {
    // Also what procfs files (size 0) yield: they are never read past their reported size.
    throw new MediaError(
      `${kind === "path" ? `The file ${shown(input.trim())}` : `The ${loaded.displayName}`} is empty (0 bytes); pass ${article(opts.what)} ${fileOf(opts.what)} with content.`,
    );
  }
  if (opts.expect && !opts.expect.includes(loaded.type.category)) {
    throw notThatKind(kind === "path" ? input : undefined, opts.what, loaded.type, loaded.displayName);
  }
  return loaded;
}

/** "The file x.png is not an image: its bytes look like plain text; …" (path) or the same for inline/URL sources. */
function notThatKind(
  input: string | undefined,
  what: string,
  type: SniffedType,
  displayName = "",
): MediaError {
  const label = input !== undefined ? `The file ${shown(input.trim())}` : `The ${displayName}`;
  return new MediaError(
    `${label} is not ${article(what)} ${what}: its bytes look like ${describeType(type)}; pass ${article(what)} ${fileOf(what)} (the type is read from the content, not the extension).`,
  );
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

export function describeType(t: SniffedType): string {
  if (t.category === "unknown") return "unrecognised binary data";
  if (t.category === "text") return "plain text";
  return `${t.ext.toUpperCase()} (${t.mime})`;
}
