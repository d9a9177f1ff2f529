// Logging: phases of a tool call arrive as notifications/message for a client that listens (it set a
// level, or asked for the call's progress), and logging/setLevel filters them.
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
  it("a client that set no level and asked for no progress gets no phase lines", async () => {
    expect(s.client.getServerCapabilities()?.logging).toBeDefined();
    logs.length = 0;
    const r = await s.client.callTool({ name: "glm_reason", arguments: { prompt: "unheard" } });
    expect(r.isError).toBeFalsy();
    // A ping answered after the call: any log line of the call would have arrived before it.
    await s.client.ping();
    expect(logs).toEqual([]);
  });

  it("a call with a progress token gets its phase lines as notifications/message", async () => {
    logs.length = 0;
    const r = await s.client.callTool({ name: "glm_reason", arguments: { prompt: "log me" } }, undefined, {
      onprogress: () => {},
    });
    expect(r.isError).toBeFalsy();
    await expect.poll(() => logs.length).toBeGreaterThan(0);
    expect(logs[0]).toMatchObject({ level: "info", logger: "glm-mcp", data: "waiting for glm-4.7" });
  });

  it("after logging/setLevel info, every call sends its phase lines", async () => {
    await s.client.setLoggingLevel("info");
    logs.length = 0;
    const r = await s.client.callTool({ name: "glm_reason", arguments: { prompt: "log me too" } });
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
