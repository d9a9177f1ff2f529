// The built CLI over HTTP routes stateless requests through one server per process
// (src/transports/http-shared.ts): each POST keeps its own ids, gets JSON unless it asked for
// progress, and a client that goes away takes its upstream request with it.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { startHttpCli, type HttpChild } from "../helpers/cli.js";

let fake: FakeGlm;
let server: HttpChild;

beforeAll(async () => {
  fake = await startFakeGlm();
  server = await startHttpCli([], { GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
});
afterAll(async () => {
  await server?.stop();
  await fake.close();
});
beforeEach(() => fake.reset());

const headers = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-06-18",
};
const call = (id: number | string, prompt: string, meta?: Record<string, unknown>) =>
  JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "glm_reason", arguments: { prompt, thinking: false }, ...(meta ? { _meta: meta } : {}) },
  });
const post = (body: string) => fetch(server.url, { method: "POST", headers, body });

describe("HTTP requests through the shared server", () => {
  it("keeps two clients' equal ids apart, each answer with its own id", async () => {
    fake.setLatency(150); // both calls are in the server at once
    const prompts = ["first client", "second client", "third client"];
    const answers = await Promise.all(prompts.map((p) => post(call(1, p)).then((r) => r.json())));
    prompts.forEach((p, i) => {
      const a = answers[i] as { id: number; result: { content: { text: string }[] } };
      expect(a.id).toBe(1);
      expect(a.result.content[0]!.text).toContain(p);
    });
  });

  it("answers in JSON without a progress token, over SSE with progress when given one", async () => {
    const plain = await post(call("a", "plain"));
    expect(plain.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await plain.json()) as { id: string }).id).toBe("a");

    const streamed = await post(call("b", "streamed", { progressToken: "p1" }));
    expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await streamed.text())
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map(
        (l) =>
          JSON.parse(l.slice(6)) as { id?: string; method?: string; params?: { progressToken?: string } },
      );
    expect(
      events.some((e) => e.method === "notifications/progress" && e.params?.progressToken === "p1"),
    ).toBe(true);
    expect(events.at(-1)?.id).toBe("b");
  });

  it("answers a batch with one JSON array, each answer under its own id", async () => {
    const res = await post(`[${call("x", "batch one")},${call("y", "batch two")}]`);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const answers = (await res.json()) as { id: string; result: { content: { text: string }[] } }[];
    expect(answers.map((a) => a.id)).toEqual(["x", "y"]);
    expect(answers[1]!.result.content[0]!.text).toContain("batch two");
  });

  it("still refuses what the SDK's transport refuses, with its status and wording", async () => {
    const refused = async (h: Record<string, string>, body: string) => {
      const res = await fetch(server.url, { method: "POST", headers: { ...headers, ...h }, body });
      return {
        status: res.status,
        message: ((await res.json()) as { error: { message: string } }).error.message,
      };
    };
    expect(await refused({ accept: "application/json" }, call(1, "x"))).toMatchObject({
      status: 406,
      message: expect.stringContaining("Not Acceptable"),
    });
    expect(await refused({ "mcp-protocol-version": "1999-01-01" }, call(1, "x"))).toMatchObject({
      status: 400,
      message: expect.stringContaining("Unsupported protocol version"),
    });
    const noVersion = JSON.stringify({ jsonrpc: "1.0", id: 1, method: "tools/call", params: {} });
    expect(await refused({}, noVersion)).toMatchObject({
      status: 400,
      message: "Parse error: Invalid JSON-RPC message",
    });
  });

  it("a client that disconnects mid-call aborts its upstream request; the server keeps serving", async () => {
    fake.fail({ kind: "hang" });
    const url = new URL(server.url);
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      headers,
    });
    req.on("error", () => {});
    req.end(call(7, "abandoned"));
    await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(1);
    req.destroy();
    await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(0);
    fake.reset();
    const after = (await (await post(call(8, "still here"))).json()) as {
      result: { content: { text: string }[] };
    };
    expect(after.result.content[0]!.text).toContain("still here");
  });
});
