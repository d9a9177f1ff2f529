// SIGTERM / SIGINT / stdin closed: the server stops taking new work, lets the calls in flight
// finish and answers them, then exits 0 — over HTTP and over stdio (the built CLI, spawned).
import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { startHttpCli } from "../helpers/cli.js";
import { glmReasonKind } from "../load/calls.js";
import { startStdio } from "./stdio-driver.js";

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const env = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

describe.each(["SIGTERM", "SIGINT"] as const)("HTTP server on %s", (signal) => {
  it("stops accepting connections, finishes the calls in flight, exits 0", async () => {
    const srv = await startHttpCli([], env());
    const port = Number(new URL(srv.url).port);
    const client = new Client({ name: "shutdown", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.url)));
    fake.setLatency(1_500);
    const calls = [0, 1, 2].map((i) =>
      client.callTool({ name: "glm_reason", arguments: glmReasonKind.args(i) }),
    );
    await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(3);

    const exit = srv.stop(signal);
    await expect.poll(() => accepts(port), { timeout: 5_000 }).toBe(false);
    expect(fake.openRequests).toBe(3); // still running upstream: nothing was aborted

    const results = (await Promise.all(calls)) as CallToolResult[];
    results.forEach((r, i) => glmReasonKind.check(r, i));
    expect(await exit).toBe(0);
    expect(fake.requests.filter((r) => r.aborted)).toEqual([]);
    expect(srv.stderr()).toContain(`shutting down (${signal})`);
    await client.close().catch(() => {});
  }, 30_000);
});

describe("stdio server", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "on %s refuses new calls, answers the call in flight, exits 0",
    async (signal) => {
      const d = startStdio(env());
      await d.initialize();
      fake.setLatency(1_500);
      const inFlight = d.request("tools/call", { name: "glm_reason", arguments: glmReasonKind.args(7) });
      await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(1);

      d.child.kill(signal);
      await expect.poll(() => d.stderr(), { timeout: 5_000 }).toContain(`shutting down (${signal})`);
      const refused = await d.request("tools/call", { name: "glm_reason", arguments: glmReasonKind.args(8) });
      expect(refused.error?.message).toMatch(/shutting down/);

      const r = await inFlight;
      expect(r.error).toBeUndefined();
      glmReasonKind.check(r.result as CallToolResult, 7);
      expect(await d.exited).toBe(0);
      expect(fake.requests).toHaveLength(1); // the refused call never reached GLM
      expect(fake.requests[0]!.aborted).toBe(false);
    },
    30_000,
  );

  it("when the client closes stdin, answers the call in flight, then exits 0", async () => {
    const d = startStdio(env());
    await d.initialize();
    fake.setLatency(1_000);
    const inFlight = d.request("tools/call", { name: "glm_reason", arguments: glmReasonKind.args(9) });
    await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(1);
    d.child.stdin.end();
    const r = await inFlight;
    glmReasonKind.check(r.result as CallToolResult, 9);
    expect(await d.exited).toBe(0);
  }, 30_000);
});
