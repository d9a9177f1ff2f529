// docs/tools.md shows one example call per tool: every registered tool has one, and each passes
// the tool's input schema.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { FAKE_API_KEY } from "../fake-glm/index.js";
import { ROOT } from "../helpers/cli.js";
import { connect, type TestSession } from "../helpers/mcp.js";

let s: TestSession;
beforeAll(async () => {
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4" });
});
afterAll(() => s.close());

describe("docs/tools.md tool examples", () => {
  it("cover every registered tool and pass its inputSchema", async () => {
    const doc = readFileSync(path.join(ROOT, "docs/tools.md"), "utf8");
    const examples = new Map(
      [...doc.matchAll(/^\| `([a-z_]+)` \| `(\{.*\})` \|$/gm)].map((m) => [
        m[1]!,
        JSON.parse(m[2]!) as unknown,
      ]),
    );
    const { tools } = await s.client.listTools();
    expect(tools.filter((t) => !examples.has(t.name)).map((t) => t.name)).toEqual([]);
    const validator = new AjvJsonSchemaValidator();
    for (const t of tools) {
      const check = validator.getValidator(t.inputSchema as never)(examples.get(t.name));
      expect(check.valid, `${t.name}: ${check.errorMessage}`).toBe(true);
    }
  });
});
