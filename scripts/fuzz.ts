// `npm run fuzz -- --runs N`: the fuzz suites (test/fuzz) in long mode. N is fast-check's run count
// per property (CI's short mode uses 30). At N = 1250 the tool-argument fuzzer runs ~30,000 cases and
// the raw-frame fuzzer 10,000 frames (4 × N over stdio and again over HTTP). Prints the suites'
// own counts and fails on any crash, hang (a ping that goes unanswered) or wrong answer.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const at = process.argv.indexOf("--runs");
const runs = at > 0 ? Number(process.argv[at + 1]) : 1250;
if (!Number.isInteger(runs) || runs < 1) {
  console.error("usage: npm run fuzz -- --runs <positive integer>");
  process.exit(2);
}
const started = Date.now();
const result = spawnSync(
  process.execPath,
  [
    path.join(ROOT, "node_modules/vitest/vitest.mjs"),
    "run",
    "test/fuzz",
    "--testTimeout=0",
    "--hookTimeout=0",
  ],
  {
    cwd: ROOT,
    env: { ...process.env, FUZZ_RUNS: String(runs) },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  },
);
const out = (result.stdout ?? "") + (result.stderr ?? "");
const ESC = String.fromCharCode(27);
const clean = out
  .split(ESC)
  .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, "")))
  .join("");
for (const line of clean.split("\n"))
  if (/fuzzing: \d+|Tests +\d+|Test Files/.test(line)) process.stdout.write(`${line.trim()}\n`);
process.stdout.write(
  `fuzz --runs ${runs}: ${Math.round((Date.now() - started) / 1000)} s, exit ${result.status}\n`,
);
process.exit(result.status ?? 1);
