// `npm pack` + `npm install <tarball>` into an empty folder, done once per content: the packaging and
// bundle tests share one install (keyed by a hash of package.json, manifest.json and dist/), and a
// lock directory keeps parallel test files from installing twice.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { assertBuilt, ROOT } from "./cli.js";

const run = promisify(execFile);

export interface PackedInstall {
  /** The folder npm installed into (has node_modules/.bin/glm-mcp). */
  prefix: string;
  /** prefix/node_modules/glm-mcp */
  pkgDir: string;
  tarball: string;
  /** Files inside the tarball (paths without the leading package/). */
  files: string[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function contentHash(): string {
  const h = createHash("sha256");
  const docs = [
    "package.json",
    "manifest.json",
    "README.md",
    "CHANGELOG.md",
    "SECURITY.md",
    "CONTRIBUTING.md",
  ];
  for (const f of docs) {
    const p = path.join(ROOT, f);
    if (existsSync(p)) h.update(f).update(readFileSync(p));
  }
  for (const f of [...filesUnder(path.join(ROOT, "dist")), ...filesUnder(path.join(ROOT, "docs"))])
    h.update(path.relative(ROOT, f)).update(readFileSync(f));
  return h.digest("hex").slice(0, 16);
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

/** Installs from earlier content hashes, older than an hour, are dropped. */
function pruneOld(dir: string): void {
  const parent = path.dirname(dir);
  for (const name of readdirSync(parent)) {
    const p = path.join(parent, name);
    if (p === dir || name.endsWith(".lock") || existsSync(`${p}.lock`)) continue;
    if (Date.now() - statSync(p).mtimeMs > 3_600_000) rmSync(p, { recursive: true, force: true });
  }
}

async function build(dir: string): Promise<void> {
  pruneOld(dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // --ignore-scripts: the tarball is made from the dist/ already built (prepare would rebuild it).
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  writeFileSync(path.join(dir, "files.json"), JSON.stringify(info!.files.map((f) => f.path)));
  const prefix = path.join(dir, "app");
  mkdirSync(prefix);
  writeFileSync(path.join(prefix, "package.json"), JSON.stringify({ name: "empty-folder", private: true }));
  // --prefer-offline: use the npm cache when it has the packages, the registry otherwise.
  await run(
    "npm",
    [
      "install",
      path.join(dir, info!.filename),
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
    ],
    {
      cwd: prefix,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  writeFileSync(path.join(dir, "tarball"), info!.filename);
  writeFileSync(path.join(dir, "done"), new Date().toISOString());
}

let cached: Promise<PackedInstall> | undefined;

export function packedInstall(): Promise<PackedInstall> {
  cached ??= (async () => {
    assertBuilt();
    const dir = path.join(os.tmpdir(), "glm-mcp-packed", contentHash());
    const lock = `${dir}.lock`;
    const deadline = Date.now() + 240_000;
    while (!existsSync(path.join(dir, "done"))) {
      mkdirSync(path.dirname(dir), { recursive: true });
      try {
        mkdirSync(lock, { recursive: false });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        // Someone else is installing; a lock older than 5 minutes is from a killed run.
        const held = statSync(lock, { throwIfNoEntry: false });
        if (held && Date.now() - held.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
        await sleep(500);
        continue;
      }
      try {
        await build(dir);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    const tarball = path.join(dir, readFileSync(path.join(dir, "tarball"), "utf8"));
    const files = JSON.parse(readFileSync(path.join(dir, "files.json"), "utf8")) as string[];
    const prefix = path.join(dir, "app");
    return { prefix, pkgDir: path.join(prefix, "node_modules", "glm-mcp"), tarball, files };
  })();
  return cached;
}
