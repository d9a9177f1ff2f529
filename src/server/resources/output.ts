// glm://output/{name} — files the tools saved (audio replies, embeddings, long answers) readable
// as resources. Reads stay inside ctx.config.outputDir: no sub-paths, no dot files, no symlinks.
import { constants as fsConstants } from "node:fs";
import { lstat, open, readdir, realpath } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../../state/context.js";
import { confinedPath, OUTPUT_URI_PREFIX, outputUri } from "../../output/files.js";
import { openedPath } from "../../media/sources.js";

/** Larger files are refused as resources (base64 over JSON-RPC); their path is in the tool result. */
export const MAX_OUTPUT_RESOURCE_BYTES = 20 * 1024 * 1024;
/** How many files resources/list shows (newest first). */
export const MAX_LISTED_OUTPUTS = 200;
/** MCP's "resource not found" error code. */
export const RESOURCE_NOT_FOUND = -32002;

const MIME_BY_EXT: Record<string, string> = {
  wav: "audio/wav",
  mp3: "audio/mpeg",
  pcm: "audio/L16",
  json: "application/json",
  jsonl: "application/jsonl",
  npy: "application/octet-stream",
  bin: "application/octet-stream",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

export function mimeTypeFor(name: string): string {
  return MIME_BY_EXT[path.extname(name).slice(1).toLowerCase()] ?? "application/octet-stream";
}

const isText = (mime: string) =>
  mime.startsWith("text/") || mime === "application/json" || mime === "application/jsonl";

/** The file name a glm://output/ URI points at, or undefined when it is not a plain name. */
export function outputNameFromUri(uri: string): string | undefined {
  if (!uri.startsWith(OUTPUT_URI_PREFIX)) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(uri.slice(OUTPUT_URI_PREFIX.length));
  } catch {
    return undefined;
  }
  if (!name || name.startsWith(".") || /[/\\\0]/.test(name)) return undefined;
  return name;
}

function notFound(uri: string, why: string): McpError {
  return new McpError(RESOURCE_NOT_FOUND, `Resource ${uri} not found: ${why}`, { uri });
}

/** Reads a saved output file, refusing anything that is not a regular file directly in the output dir. */
export async function readOutputFile(
  outputDir: string,
  uri: string,
  /** Replicas share state: a missing file may simply live on another replica's disk. */
  replicated = false,
): Promise<{ mimeType: string; data: Buffer }> {
  const name = outputNameFromUri(uri);
  if (!name) throw notFound(uri, "glm://output/ URIs name one file of the output directory");
  // A ".part" file is one saveOutputFile is still writing (renamed when complete): hidden from
  // the listing, and not readable either, so nobody gets half a file.
  if (name.endsWith(".part"))
    throw notFound(
      uri,
      "it is a file still being written; read the name the tool result links to once the tool has finished",
    );
  const full = confinedPath(outputDir, name);
  const missing = () =>
    notFound(
      uri,
      replicated
        ? `no file ${full} on this replica (${os.hostname()}, pid ${process.pid}): output files live on the disk of the replica that wrote them unless GLM_MCP_OUTPUT_DIR is a volume every replica shares (docs/deploy.md)`
        : `no such file in the output directory ${full} (files live as long as the directory is kept)`,
    );
  // Open, THEN verify what was opened (as media reads do): checking the path first and reading it
  // after lets a symlink swapped in between hand over any file. O_NOFOLLOW refuses a symlink as the
  // name; the opened descriptor's real path (or dev/ino) must be a regular file in the output dir.
  const handle = await open(
    full,
    fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOFOLLOW ?? 0),
  ).catch((err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    throw code === "ELOOP" || code === "EMLINK" ? notFound(uri, "it is a symbolic link") : missing();
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw missing();
    // The output dir itself may be a symlink (e.g. /tmp on macOS): compare real paths.
    const dirReal = await realpath(outputDir);
    const opened = await openedPath(handle, path.join(dirReal, name));
    if (opened === undefined || path.dirname(opened) !== dirReal)
      throw notFound(uri, "the file is outside the output directory");
    if (st.size > MAX_OUTPUT_RESOURCE_BYTES) {
      throw new McpError(
        -32600,
        `Resource ${uri} is ${Math.round(st.size / 1024 / 1024)} MB, over the ${MAX_OUTPUT_RESOURCE_BYTES / 1024 / 1024} MB resource limit: read ${full} from disk instead`,
      );
    }
    return { mimeType: mimeTypeFor(name), data: await handle.readFile() };
  } finally {
    await handle.close();
  }
}

/** The newest saved files, for resources/list. */
export async function listOutputFiles(
  outputDir: string,
): Promise<{ name: string; size: number; mtimeMs: number }[]> {
  const entries = await readdir(outputDir, { withFileTypes: true }).catch(() => []);
  const files = await Promise.all(
    entries
      .filter((e) => e.isFile() && !e.name.startsWith(".") && !e.name.endsWith(".part"))
      .map(async (e) => {
        const st = await lstat(path.join(outputDir, e.name)).catch(() => undefined);
        return st ? { name: e.name, size: st.size, mtimeMs: st.mtimeMs } : undefined;
      }),
  );
  return files
    .filter((f): f is NonNullable<typeof f> => f !== undefined)
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(0, MAX_LISTED_OUTPUTS);
}

export function registerOutputResources(server: McpServer, ctx: AppContext): void {
  const dir = ctx.config.outputDir;
  const template = new ResourceTemplate(`${OUTPUT_URI_PREFIX}{name}`, {
    list: async () => ({
      resources: (await listOutputFiles(dir)).map((f) => ({
        uri: outputUri(f.name),
        name: f.name,
        mimeType: mimeTypeFor(f.name),
        size: f.size,
        description: `Saved by glm-mcp at ${new Date(f.mtimeMs).toISOString()}`,
      })),
    }),
  });
  server.registerResource(
    "output",
    template,
    {
      title: "Saved output files",
      description:
        "Files glm-mcp tools saved (audio replies, embedding vectors, answers too long for one result), by file name. Tool results link to them.",
    },
    async (uri) => {
      const { mimeType, data } = await readOutputFile(dir, uri.href, ctx.store.kind !== "memory");
      const content = isText(mimeType) ? { text: data.toString("utf8") } : { blob: data.toString("base64") };
      return { contents: [{ uri: uri.href, mimeType, ...content }] };
    },
  );
}
