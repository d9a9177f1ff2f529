// The docs cannot drift from the tools: every JSON example in the docs parses; each example in a
// tool's section of docs/tools.md (and in its one-line table) passes that tool's input schema; each
// tool's argument table lists exactly its schema's properties and its section names every result
// field; every client config in the README starts the server the way package.json builds it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { FAKE_API_KEY } from "../fake-glm/index.js";
import { ROOT } from "../helpers/cli.js";
import { codeBlocks, codeSpans, sections, tableRows } from "../helpers/markdown.js";
import { connect, type TestSession } from "../helpers/mcp.js";

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const DOCS = [
  "README.md",
  "SECURITY.md",
  "CONTRIBUTING.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const toolsDoc = read("docs/tools.md");
const bin = (JSON.parse(read("package.json")) as { bin: Record<string, string> }).bin["glm-mcp"]!;

/** A JSON block holds one value, or one value per line (several example calls in one block). */
function parseBlock(body: string): unknown[] {
  try {
    return [JSON.parse(body)];
  } catch {
    return body
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as unknown);
  }
}

/** The tool a `## \`name\`` heading is about, if it is one. */
const toolOf = (heading: string) => /^`([a-z_]+)`$/.exec(heading)?.[1];

let s: TestSession;
let tools: Tool[];
const validator = new AjvJsonSchemaValidator();
function check(tool: Tool, args: unknown, where: string) {
  const result = validator.getValidator(tool.inputSchema as never)(args);
  expect(result.valid, `${where}: ${JSON.stringify(args)}: ${result.errorMessage}`).toBe(true);
}

beforeAll(async () => {
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4" });
  tools = (await s.client.listTools()).tools;
});
afterAll(() => s.close());

describe("JSON in the docs", () => {
  it("parses everywhere", () => {
    let count = 0;
    for (const file of DOCS) {
      for (const block of codeBlocks(read(file)).filter((b) => b.lang === "json")) {
        expect(() => parseBlock(block.body), `${file} (${block.section}):\n${block.body}`).not.toThrow();
        count++;
      }
    }
    expect(count).toBeGreaterThan(10);
  });

  it("README client configs start the built server with node and pass the key in env", () => {
    const configs = codeBlocks(read("README.md"))
      .filter((b) => b.lang === "json")
      .flatMap((b) => parseBlock(b.body)) as { mcpServers?: Record<string, Record<string, unknown>> }[];
    const servers = configs.flatMap((c) => Object.values(c.mcpServers ?? {}));
    expect(servers.length).toBeGreaterThan(1);
    for (const server of servers) {
      if ("url" in server) continue;
      expect(server.command).toBe("node");
      expect((server.args as string[])[0]).toMatch(new RegExp(`^/\\S+/${bin.replace(".", "\\.")}$`));
      expect(Object.keys(server.env as object)).toContain("GLM_API_KEY");
    }
  });
});

describe("README", () => {
  it("shows tool calls that pass the schema of the one tool their section names", () => {
    const readme = read("README.md");
    const bodies = sections(readme);
    let calls = 0;
    for (const block of codeBlocks(readme).filter((b) => b.lang === "json")) {
      const values = parseBlock(block.body) as Record<string, unknown>[];
      if (values.some((v) => "mcpServers" in v)) continue;
      const named = tools.filter((t) => codeSpans(bodies.get(block.section) ?? "").includes(t.name));
      expect(
        named.map((t) => t.name),
        `the tool of the JSON in "${block.section}"`,
      ).toHaveLength(1);
      for (const args of values) check(named[0]!, args, `README ${block.section}`);
      calls += values.length;
    }
    expect(calls).toBeGreaterThan(0);
  });
});

describe("docs/tools.md", () => {
  it("has one section per registered tool, and no section for a tool that does not exist", () => {
    const documented = [...sections(toolsDoc).keys()].map(toolOf).filter(Boolean);
    expect(documented.sort()).toEqual(tools.map((t) => t.name).sort());
  });

  it("gives every tool a one-line example that passes its input schema", () => {
    const rows = tableRows(toolsDoc, /^\| Tool \| Example arguments \|/);
    const examples = new Map(rows.map((c) => [codeSpans(c[0]!)[0]!, JSON.parse(codeSpans(c[1]!)[0]!)]));
    expect([...examples.keys()].sort()).toEqual(tools.map((t) => t.name).sort());
    for (const t of tools) check(t, examples.get(t.name), `${t.name} table row`);
  });

  it("shows, in each tool's section, examples that pass that tool's input schema", () => {
    const perTool = new Map<string, number>();
    for (const block of codeBlocks(toolsDoc).filter((b) => b.lang === "json")) {
      const name = toolOf(block.section);
      expect(name, `a JSON block outside a tool's section (${block.section})`).toBeDefined();
      const tool = tools.find((t) => t.name === name)!;
      for (const args of parseBlock(block.body)) check(tool, args, `docs/tools.md ${name}`);
      perTool.set(name!, (perTool.get(name!) ?? 0) + 1);
    }
    expect(tools.filter((t) => !perTool.has(t.name)).map((t) => t.name)).toEqual([]);
  });

  it("lists in each tool's argument table exactly the arguments of its input schema", () => {
    const bodies = sections(toolsDoc);
    for (const t of tools) {
      const body = bodies.get(`\`${t.name}\``)!;
      const documented = tableRows(body, /^\| Argument \|/).flatMap((c) => codeSpans(c[0]!));
      const schema = Object.keys((t.inputSchema as { properties?: object }).properties ?? {});
      expect(documented.sort(), t.name).toEqual(schema.sort());
    }
  });

  it("names every field of each tool's result (outputSchema) in its section", () => {
    const bodies = sections(toolsDoc);
    for (const t of tools) {
      const named = new Set(codeSpans(bodies.get(`\`${t.name}\``)!));
      const fields = Object.keys((t.outputSchema as { properties?: object } | undefined)?.properties ?? {});
      expect(fields.length, t.name).toBeGreaterThan(0);
      expect(
        fields.filter((f) => !named.has(f)),
        t.name,
      ).toEqual([]);
    }
  });
});
