// The drain on shutdown is bounded: a call that never ends (GLM hangs) does not keep the process
// alive — after the grace period the call is aborted (so is its upstream request) and the process
// exits 0. The test timeout is the bound; nothing here asserts a duration.
import { describe, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { FAKE_API_KEY, startFakeGlm } from "../fake-glm/index.js";
import { startHttpCli } from "../helpers/cli.js";
import { startStdio } from "./stdio-driver.js";

describe.concurrent("shutdown with a call that never finishes", () => {
  it("HTTP: SIGTERM still exits 0 and aborts the hanging upstream request", async ({ expect }) => {
    const fake = await startFakeGlm();
    try {
      fake.fail({ kind: "hang" });
      const srv = await startHttpCli([], { GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
      const client = new Client({ name: "bounded", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(srv.url)));
      // When the grace runs out the server answers the open call with a JSON-RPC error rather than
      // dropping the connection (which would leave the client waiting for its own timeout).
      const pending = client.callTool({ name: "glm_reason", arguments: { prompt: "hang" } }).then(
        () => "answered",
        (err: Error) => err.message,
      );
      await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(1);
      expect(await srv.stop("SIGTERM")).toBe(0);
      await expect.poll(() => fake.requests[0]?.aborted, { timeout: 5_000 }).toBe(true);
      expect(await pending).toMatch(/shut down before this call finished/);
      await client.close().catch(() => {});
    } finally {
      await fake.close();
    }
  }, 40_000);

  it("stdio: SIGTERM still exits 0 and aborts the hanging upstream request", async ({ expect }) => {
    const fake = await startFakeGlm();
    try {
      fake.fail({ kind: "hang" });
      const d = startStdio({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
      await d.initialize();
      void d.request("tools/call", { name: "glm_reason", arguments: { prompt: "hang" } });
      await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(1);
      d.child.kill("SIGTERM");
      expect(await d.exited).toBe(0);
      await expect.poll(() => fake.requests[0]?.aborted, { timeout: 5_000 }).toBe(true);
    } finally {
      await fake.close();
    }
  }, 40_000);
});
