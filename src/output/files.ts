// Files the server hands back (audio, embeddings, long answers): always inside the output dir,
// names that never collide, written atomically so a failure leaves no partial file.
import { randomBytes } from "node:crypto";
import { lstat, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { redactKnown } from "../util/redact.js";

export interface SavedFile {
  path: string;
  uri: string;
  name: string;
  bytes: number;
  mimeType: string;
}

/** A safe file name: prefix (letters, digits, dash) + timestamp + random suffix + extension. */
export function outputFileName(prefix: string, ext: string): string {
  const safePrefix = prefix.replace(/[^a-zA-Z0-9-]/g, "-").slice(0, 40) || "output";
  const safeExt = ext.replace(/[^a-zA-Z0-9]/g, "").slice(0, 10) || "bin";
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..+/, "");
  return `${safePrefix}-${stamp}-${randomBytes(4).toString("hex")}.${safeExt}`;
}

/** Resolves `name` inside `dir`, refusing anything that would land outside it. */
export function confinedPath(dir: string, name: string): string {
  const root = path.resolve(dir);
  const full = path.resolve(root, name);
  if (path.dirname(full) !== root) throw new Error(`refusing to write outside the output directory: ${name}`);
  return full;
}

/** The output directory cannot be used; the message says why and what to set. */
export class OutputDirError extends Error {
  override name = "OutputDirError";
}

/**
 * Creates the directory private to this user (0700) and refuses one that another user could
 * tamper with: a symlink, someone else's, or world-writable (the default lives in the shared tmp).
 */
export async function ensureOutputDir(dir: string): Promise<void> {
  const fix = "set GLM_MCP_OUTPUT_DIR (or --output-dir) to a folder of your own";
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const st = await lstat(dir);
    if (st.isSymbolicLink())
      throw new OutputDirError(
        `The output directory ${dir} is a symbolic link, which another user could point elsewhere: ${fix}.`,
      );
    if (!st.isDirectory())
      throw new OutputDirError(`The output directory ${dir} is not a directory: ${fix}.`);
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid)
      throw new OutputDirError(
        `The output directory ${dir} belongs to another user (uid ${st.uid}): ${fix}.`,
      );
    if (st.mode & 0o002)
      throw new OutputDirError(
        `The output directory ${dir} is writable by every user: ${fix}, or chmod o-w it.`,
      );
  } catch (err) {
    if (err instanceof OutputDirError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new OutputDirError(
      `Could not create the output directory ${dir} (${code}): ${fix} that the server can write.`,
    );
  }
}

export async function saveOutputFile(
  dir: string,
  prefix: string,
  ext: string,
  data: Uint8Array | string,
  mimeType: string,
): Promise<SavedFile> {
  await ensureOutputDir(dir);
  data = redactTextData(data, mimeType);
  const name = outputFileName(prefix, ext);
  const full = confinedPath(dir, name);
  const tmp = `${full}.${randomBytes(3).toString("hex")}.part`;
  try {
    await writeFile(tmp, data, { flag: "wx", mode: 0o600 });
    await rename(tmp, full);
  } catch (err) {
    await rm(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new OutputDirError(
      `Could not write ${name} to the output directory ${dir} (${code}): free some space or set GLM_MCP_OUTPUT_DIR to a writable folder.`,
    );
  }
  const bytes = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
  return { path: full, uri: outputUri(name), name, bytes, mimeType };
}

/** Text being saved (answers, JSON) goes through the same key redaction as results; binary stays as is. */
function redactTextData(data: Uint8Array | string, mimeType: string): Uint8Array | string {
  if (typeof data === "string") return redactKnown(data);
  if (!/^text\/|json/i.test(mimeType)) return data;
  const text = Buffer.from(data).toString("utf8");
  const clean = redactKnown(text);
  return clean === text ? data : Buffer.from(clean, "utf8");
}

/** Saved files are readable as MCP resources under this URI (see resources/output.ts). */
export const OUTPUT_URI_PREFIX = "glm://output/";
export function outputUri(name: string): string {
  return OUTPUT_URI_PREFIX + encodeURIComponent(name);
}

/** The MCP resource_link content block for a saved file. */
export function resourceLink(file: SavedFile, description?: string) {
  return {
    type: "resource_link" as const,
    uri: file.uri,
    name: file.name,
    mimeType: file.mimeType,
    ...(description ? { description } : {}),
  };
}
