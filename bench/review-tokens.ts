// Agent-side tokens for one realistic review — "review src/tools/glm-reason.ts and everything it
// imports for error handling" on this repository — three ways: the agent reads every file and pastes
// it into glm_reason's prompt; the agent passes the paths (`files`); GLM reads them itself
// (`explore`). Counted: what enters the agent's context (its file reads and glm_reason's result)
// plus what it writes (the call's arguments), with the server's conservative token estimator.
// The fake GLM plays the reviewer (importExplorer follows the imports). Run: npx tsx bench/review-tokens.ts
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { estimateTokens } from "../src/embeddings/tokens.js";
import { FAKE_API_KEY, importExplorer, startFakeGlm } from "../test/fake-glm/index.js";
import { connect, textOf } from "../test/helpers/mcp.js";
import { isMain, table } from "./lib/common.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = "src/tools/glm-reason.ts";
const QUESTION = `Review ${ENTRY} and everything it imports for error handling.`;

/** The entry and its relative imports, transitively (what an agent would have to open and paste). */
function importTree(entry: string): string[] {
  const seen: string[] = [];
  const visit = (file: string) => {
    if (seen.includes(file)) return;
    seen.push(file);
    const text = readFileSync(path.join(ROOT, file), "utf8");
    for (const m of text.matchAll(/from\s+["'](\.{1,2}\/[^"']+)["']/g))
      visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)).replace(/\.js$/, ".ts"));
  };
  visit(entry);
  return seen;
}

export async function run(): Promise<void> {
  const files = importTree(ENTRY);
  const contents = files.map((f) => `--- ${f} ---\n${readFileSync(path.join(ROOT, f), "utf8")}`);
  const fake = await startFakeGlm();
  const cwd = process.cwd();
  process.chdir(ROOT);
  const s = await connect({
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
    GLM_MCP_ALLOW_DIRS: ROOT,
  });
  // The same review text in every arm (what the explorer answers after reading the tree).
  const review = { content: `Reviewed ${files.join(", ")} for error handling.` };
  const measure = async (args: Record<string, unknown>, reads: string) => {
    fake.reset();
    fake.answer(args.explore ? importExplorer(ENTRY) : review, { times: 50 });
    const r = (await s.client.callTool({ name: "glm_reason", arguments: args })) as CallToolResult;
    if (r.isError) throw new Error(textOf(r));
    const sent = estimateTokens(JSON.stringify(args));
    const back = estimateTokens(textOf(r));
    return {
      reads: estimateTokens(reads),
      sent,
      back,
      total: estimateTokens(reads) + sent + back,
      requests: fake.requests.length,
    };
  };
  try {
    const pasted = await measure(
      { prompt: `${contents.join("\n\n")}\n\n${QUESTION}`, thinking: false },
      contents.join("\n\n"),
    );
    const byPath = await measure({ prompt: QUESTION, files, thinking: false }, "");
    const explored = await measure({ prompt: QUESTION, explore: true, thinking: false }, "");
    console.log("## Agent-side tokens for a code review: pasted contents vs paths (`files`) vs `explore`\n");
    console.log(
      `${files.length} files (${ENTRY} and its imports), ${readFileSync(path.join(ROOT, ENTRY)).length} bytes in the entry alone; tokens by the server's conservative estimator. The agent never sees the file text in the last two rows: the server (files) or GLM (explore) reads it inside the sandbox.\n`,
    );
    const row = (name: string, m: typeof pasted) => [
      name,
      m.reads,
      m.sent,
      m.back,
      m.total,
      `${(pasted.total / m.total).toFixed(1)}×`,
    ];
    table(
      [
        "agent does",
        "file reads in its context",
        "written (call arguments)",
        "glm_reason result",
        "agent-side total",
        "saved vs pasting",
      ],
      [
        row("reads and pastes every file", pasted),
        row("passes paths (`files`)", byPath),
        row("asks GLM to explore (`explore: true`)", explored),
      ],
    );
  } finally {
    await s.close();
    await fake.close();
    process.chdir(cwd);
  }
}

if (isMain(import.meta.url)) await run();
