// glm_reason through an in-memory MCP pair against the fake GLM: exact upstream bodies and results.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
});
afterEach(() => s.close());

const call = (args: Record<string, unknown>, extra: Parameters<TestSession["client"]["callTool"]>[2] = {}) =>
  s.client.callTool({ name: "glm_reason", arguments: args }, undefined, extra) as Promise<CallToolResult>;

describe("glm_reason", () => {
  it("is listed with annotations and input/output schemas", async () => {
    const { tools } = await s.client.listTools();
    const tool = tools.find((t) => t.name === "glm_reason")!;
    expect(tool.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    expect(tool.inputSchema.required).toEqual(["prompt"]);
    expect(tool.outputSchema?.properties).toHaveProperty("conversation_id");
    expect(tool.description).toMatch(/Use when/);
    expect(tool.description).toMatch(/Do not use for/);
  });

  it("streams with thinking enabled by default and returns the answer", async () => {
    const r = await call({ prompt: "Is 17 prime?" });
    expect(r.isError).toBeFalsy();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-4.7",
      messages: [{ role: "user", content: "Is 17 prime?" }],
      thinking: { type: "enabled" },
      stream: true,
    });
    expect(textOf(r)).toContain("Is 17 prime?");
    const sc = r.structuredContent as Record<string, any>;
    expect(sc.model).toBe("glm-4.7");
    expect(sc.finish_reason).toBe("stop");
    expect(sc.usage.total_tokens).toBeGreaterThan(0);
    expect(sc.reasoning).toBeUndefined();
    expect(typeof sc.conversation_id).toBe("string");
  });

  it("sends thinking disabled, system prompt, sampling and model exactly as given", async () => {
    await call({
      prompt: "hi",
      system: "Be terse.",
      thinking: false,
      model: "glm-4.5-air",
      max_tokens: 64,
      temperature: 0.2,
      top_p: 0.5,
    });
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-4.5-air",
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", content: "hi" },
      ],
      thinking: { type: "disabled" },
      max_tokens: 64,
      temperature: 0.2,
      top_p: 0.5,
      stream: true,
    });
  });

  it("returns reasoning when asked", async () => {
    fake.answer({ reasoning_content: "Step 1: think.", content: "42" });
    const r = await call({ prompt: "meaning?", include_reasoning: true });
    const sc = r.structuredContent as Record<string, any>;
    expect(sc.reasoning).toBe("Step 1: think.");
    expect(sc.answer).toBe("42");
    expect(textOf(r)).toContain("Reasoning:\nStep 1: think.");
  });

  it("json_object mode sends response_format and returns parsed data", async () => {
    const r = await call({ prompt: "list two colours", response_format: "json_object" });
    expect(fake.requests[0]!.body.response_format).toEqual({ type: "json_object" });
    const sc = r.structuredContent as Record<string, any>;
    expect(sc.data).toEqual(JSON.parse(sc.answer));
    expect(typeof sc.data).toBe("object");
  });

  it("continues a conversation with preserved thinking", async () => {
    fake.answer({ reasoning_content: "R1", content: "A1" });
    const first = await call({ prompt: "Q1", system: "S" });
    const id = (first.structuredContent as any).conversation_id;
    const second = await call({ prompt: "Q2", conversation_id: id });
    expect(second.isError).toBeFalsy();
    expect(fake.requests[1]!.body).toEqual({
      model: "glm-4.7",
      messages: [
        { role: "system", content: "S" },
        { role: "user", content: "Q1" },
        { role: "assistant", content: "A1", reasoning_content: "R1" },
        { role: "user", content: "Q2" },
      ],
      thinking: { type: "enabled", clear_thinking: false },
      stream: true,
    });
    expect((second.structuredContent as any).conversation_id).toBe(id);
    expect((second.structuredContent as any).usage.cached_tokens).toBeGreaterThan(0);
  });

  it("refuses an unknown conversation_id without calling GLM", async () => {
    const r = await call({ prompt: "Q", conversation_id: "nope" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/Unknown or expired conversation_id/);
    expect(fake.requests).toHaveLength(0);
  });

  it("sends progress notifications while the answer streams", async () => {
    fake.setChunkDelay(30);
    const seen: { progress: number; message?: string }[] = [];
    const r = await call(
      { prompt: "a long question about everything" },
      { onprogress: (p) => seen.push(p), resetTimeoutOnProgress: true },
    );
    expect(r.isError).toBeFalsy();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]!.message).toMatch(/waiting for glm-4.7/);
    expect(seen.some((p) => /thinking|answering/.test(p.message ?? ""))).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
  });

  it("turns GLM faults into one actionable sentence and keeps serving", async () => {
    fake.fail({ kind: "status", status: 400, code: "1301" });
    const bad = await call({ prompt: "x" });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/content safety filter.*rephrase/);
    expect(textOf(bad)).toContain("code 1301");
    const good = await call({ prompt: "y" });
    expect(good.isError).toBeFalsy();
  });

  it("rejects invalid arguments with a validation error", async () => {
    const r = await call({ prompt: "", temperature: 3 });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/prompt|temperature/);
    expect(fake.requests).toHaveLength(0);
  });

  it("sends an unknown model to GLM; GLM's 1211 comes back listing the models that work", async () => {
    const r = await call({ prompt: "x", model: "glm-9-imaginary" });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.model).toBe("glm-9-imaginary");
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/GLM does not know the model "glm-9-imaginary".*glm-4\.7.*glm-4\.5-air/);
  });
});

describe("glm_reason request built from the model catalog", () => {
  it("lowers max_tokens above the model's limit and says so", async () => {
    const r = await call({ prompt: "x", model: "glm-4.5-air", max_tokens: 100000 });
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.body.max_tokens).toBe(98304);
    expect(textOf(r)).toContain("max_tokens 100000 is above glm-4.5-air's limit of 98304: sent 98304");
  });

  it("rounds temperature and top_p to two decimals", async () => {
    await call({ prompt: "x", temperature: 0.555, top_p: 0.0149 });
    expect(fake.requests[0]!.body).toMatchObject({ temperature: 0.56, top_p: 0.01 });
  });

  it("sends no thinking field to a model without the switch", async () => {
    const r = await call({ prompt: "x", model: "glm-4-flash-250414" });
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.body).not.toHaveProperty("thinking");
  });

  it("matches model names case-insensitively and sends the canonical spelling", async () => {
    const r = await call({ prompt: "x", model: "GLM-4.5-Air" });
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.body.model).toBe("glm-4.5-air");
    expect((r.structuredContent as { model: string }).model).toBe("glm-4.5-air");
  });

  it("sends a model the catalog lists for the other region, with a note naming the region's models", async () => {
    const r = await call({ prompt: "x", model: "glm-4.5" });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.model).toBe("glm-4.5");
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toMatch(
      /does not list glm-4\.5 for region cn.*being retired; sent anyway.*GLM_REGION=intl/,
    );
  });
});

describe("glm_reason without a key", () => {
  it("lists tools but each call says which variable to set", async () => {
    const noKey = await connect({ GLM_BASE_URL: fake.baseUrl });
    try {
      expect((await noKey.client.listTools()).tools.length).toBeGreaterThan(0);
      const r = (await noKey.client.callTool({
        name: "glm_reason",
        arguments: { prompt: "x" },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/GLM_API_KEY/);
    } finally {
      await noKey.close();
    }
  });
});

describe("glm_reason output size", () => {
  it("cuts a huge answer for the client and saves it whole to a linked file", async () => {
    const f = await startFakeGlm();
    const big = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: f.baseUrl });
    try {
      const answer = "x".repeat(100_000);
      f.answer({ content: answer, reasoning_content: "r" });
      const r = (await big.client.callTool({
        name: "glm_reason",
        arguments: { prompt: "long" },
      })) as CallToolResult;
      const sc = r.structuredContent as Record<string, any>;
      expect(textOf(r).length).toBeLessThan(61_000);
      expect(sc.answer.length).toBeLessThan(61_000);
      const { readFile } = await import("node:fs/promises");
      expect(await readFile(sc.answer_file, "utf8")).toBe(answer);
      const link = (r.content as any[]).find((c) => c.type === "resource_link");
      expect(link.uri).toMatch(/^glm:\/\/output\//);
    } finally {
      await big.close();
      await f.close();
    }
  });
});
