// Builds the Claude Desktop bundle: npm pack -> extract -> production install -> mcpb pack.
// Run after `npm run build`:  npx tsx scripts/build-bundle.ts [extra npm install flags]
// sharp ships native binaries per platform; the bundle holds those of the machine that builds it.
// For another platform add npm's flags, e.g. `--os=darwin --cpu=arm64` (npm >= 10).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = path.join(ROOT, ".tmp", "bundle");
const sh = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"] }).toString();

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const [info] = JSON.parse(
  sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT),
) as { filename: string }[];
sh("tar", ["-xzf", path.join(work, info!.filename), "-C", work], work);
const stage = path.join(work, "package");
sh(
  "npm",
  [
    "install",
    "--omit=dev",
    "--ignore-scripts",
    "--no-audit",
    "--no-fund",
    "--no-package-lock",
    ...process.argv.slice(2),
  ],
  stage,
);
const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
const bundle = path.join(ROOT, `glm-mcp-${version}.mcpb`);
sh(
  process.execPath,
  [path.join(ROOT, "node_modules/@anthropic-ai/mcpb/dist/cli/cli.js"), "pack", stage, bundle],
  ROOT,
);
process.stdout.write(`${bundle}\n`);
