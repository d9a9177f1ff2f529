// Every registered tool (whatever tools/index.ts lists) meets the contract agents rely on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY } from "../fake-glm/index.js";
import { connect, type TestSession } from "../helpers/mcp.js";

let s: TestSession;
let tools: Tool[];
beforeAll(async () => {
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4" });
  tools = (await s.client.listTools()).tools;
});
afterAll(() => s.close());

describe("tool contract", () => {
  it("there are tools, with unique snake_case names", () => {
    expect(tools.length).toBeGreaterThan(0);
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
    for (const t of tools) expect(t.name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it("each has a title and a description saying when to use it, when not, and cost/latency", () => {
    for (const t of tools) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.description, t.name).toMatch(/Use when/i);
      expect(t.description, t.name).toMatch(/Do not use/i);
      expect(t.description, t.name).toMatch(/Cost|latency/i);
    }
  });

  it("each has readOnlyHint and openWorldHint annotations", () => {
    for (const t of tools) {
      expect(typeof t.annotations?.readOnlyHint, t.name).toBe("boolean");
      expect(typeof t.annotations?.openWorldHint, t.name).toBe("boolean");
    }
  });

  it("each input field is described for the agent, and each tool has an output schema", () => {
    for (const t of tools) {
      const props = (t.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
      expect(Object.keys(props).length, t.name).toBeGreaterThan(0);
      const undescribed = Object.entries(props)
        .filter(([, p]) => !p.description?.trim())
        .map(([k]) => k);
      expect(undescribed, t.name).toEqual([]);
      expect(t.outputSchema?.type, t.name).toBe("object");
    }
  });
});
