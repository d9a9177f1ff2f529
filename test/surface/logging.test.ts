// Logging: phases of a tool call arrive as notifications/message, and logging/setLevel filters them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LoggingMessageNotificationSchema,
  type LoggingMessageNotification,
} from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
const logs: LoggingMessageNotification["params"][] = [];
beforeAll(async () => {
  fake = await startFakeGlm();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
  s.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params));
});
afterAll(async () => {
  await s.close();
  await fake.close();
});

describe("logging", () => {
  it("the server declares logging and sends phase messages of a call as notifications/message", async () => {
    expect(s.client.getServerCapabilities()?.logging).toBeDefined();
    logs.length = 0;
    const r = await s.client.callTool({ name: "glm_reason", arguments: { prompt: "log me" } });
    expect(r.isError).toBeFalsy();
    await expect.poll(() => logs.length).toBeGreaterThan(0);
    expect(logs[0]).toMatchObject({ level: "info", logger: "glm-mcp", data: "waiting for glm-4.7" });
  });

  it("logging/setLevel warning silences info messages; debug brings them back", async () => {
    await s.client.setLoggingLevel("warning");
    logs.length = 0;
    fake.fail({ kind: "status", status: 429, code: "1302", retryAfterMs: "10" });
    expect(
      (await s.client.callTool({ name: "glm_reason", arguments: { prompt: "quiet" } })).isError,
    ).toBeFalsy();
    expect(fake.requests.length).toBeGreaterThan(1);
    expect(logs.filter((l) => l.level === "info")).toEqual([]);

    await s.client.setLoggingLevel("debug");
    fake.reset();
    expect(
      (await s.client.callTool({ name: "glm_reason", arguments: { prompt: "loud" } })).isError,
    ).toBeFalsy();
    await expect.poll(() => logs.filter((l) => l.level === "info").length).toBeGreaterThan(0);
  });
});
