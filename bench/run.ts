// `npm run bench`: runs every bench/*.ts module that exports `run()` (this runner excepted), echoes
// what each prints, and writes BENCHMARKS.md: the machine, the date, the commands, and each
// module's output in its own marked section. `node --import tsx bench/run.ts latency startup`
// runs only those modules and updates only their sections.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { machine } from "./lib/common.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPORT = path.join(HERE, "..", "BENCHMARKS.md");
/** These run first, in this order; any other module follows alphabetically. */
const FIRST = ["startup", "latency", "throughput", "progress"];

function discover(): string[] {
  const names = readdirSync(HERE)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && f !== "run.ts")
    .map((f) => f.slice(0, -3));
  const rank = (n: string) => (FIRST.includes(n) ? FIRST.indexOf(n) : FIRST.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Runs `fn` while copying everything written to stdout into the returned string. */
async function capture(fn: () => Promise<void>): Promise<string> {
  let text = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  return text;
}

/** Output that already uses Markdown tables or headings goes in as is; plain text goes in a fence. */
function asMarkdown(output: string): string {
  const text = output.trim();
  return /^(\| |#)/m.test(text) ? text : "```text\n" + text + "\n```";
}

const begin = (name: string) => `<!-- bench:${name} -->`;
const end = (name: string) => `<!-- /bench:${name} -->`;

/** The sections of an existing report, by module name. */
function previousSections(): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(REPORT)) return out;
  const text = readFileSync(REPORT, "utf8");
  for (const m of text.matchAll(/<!-- bench:([\w-]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g))
    out.set(m[1]!, m[2]!);
  return out;
}

function header(ran: string[], seconds: Record<string, number>): string {
  const m = machine();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
  return [
    "# Benchmarks",
    "",
    "Figures measured by `npm run bench` on the machine below, against the fake GLM upstream on loopback",
    "(the real API is never called), with side-by-side baselines measured in the same run. They are",
    "figures, not pass/fail thresholds; rerun them on your machine to compare.",
    "",
    `- Date: ${new Date().toISOString()} (sections marked with their own date when run separately)`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory} RAM, ${m.platform}`,
    `- Node: ${m.node}`,
    `- Load average at the end of the run (1/5/15 min): ${load} — other work on the machine shows up as noise`,
    "- Commands: `npm run bench` (= `npm run build && node --import tsx bench/run.ts`); one benchmark:",
    "  `npx tsx bench/<name>.ts` (prints only) or `node --import tsx bench/run.ts <name>…` (updates its section here)",
    `- Modules run this time: ${ran.map((n) => `${n} (${seconds[n]!.toFixed(0)} s)`).join(", ")}`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const all = discover();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length)
    throw new Error(`no bench module named ${unknown.join(", ")} (have: ${all.join(", ")})`);
  const names = wanted.length ? wanted : all;
  const sections = previousSections();
  const ran: string[] = [];
  const seconds: Record<string, number> = {};
  const startedAll = performance.now();

  for (const name of names) {
    const mod = (await import(pathToFileURL(path.join(HERE, `${name}.ts`)).href)) as {
      run?: () => Promise<void>;
    };
    if (typeof mod.run !== "function") continue; // helpers and modules without run()
    console.error(`[bench] ${name}…`);
    const started = performance.now();
    let output: string;
    try {
      output = await capture(mod.run);
    } catch (err) {
      output = `**${name} failed:** ${err instanceof Error ? err.message : String(err)}\n`;
      console.error(`[bench] ${name} failed:`, err);
      process.exitCode = 1;
    }
    seconds[name] = (performance.now() - started) / 1000;
    ran.push(name);
    sections.set(
      name,
      `_${name}: ${new Date().toISOString()}, ${seconds[name]!.toFixed(1)} s_\n\n${asMarkdown(output)}\n\n`,
    );
  }

  const order = [...new Set([...all, ...sections.keys()])].filter((n) => sections.has(n));
  const body = order.map((n) => `${begin(n)}\n${sections.get(n)}${end(n)}`).join("\n\n");
  writeFileSync(REPORT, `${header(ran, seconds)}\n${body}\n`);
  console.error(
    `[bench] wrote ${path.relative(process.cwd(), REPORT)} in ${((performance.now() - startedAll) / 1000).toFixed(0)} s`,
  );
}

await main();
