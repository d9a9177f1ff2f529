// The Redis password (GLM_MCP_REDIS_URL, userinfo or ?password= form) is a secret like the API key:
// a tool result or error that echoes it shows it redacted (the frame redacts with secretsOf(config)).
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

const PASSWORD = `pw${randomBytes(12).toString("hex")}`;
let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
afterEach(() => s.close());

const open = async (redisUrl: string) => {
  fake.reset();
  // createAppContext keeps the in-memory store: the URL is only configuration here, no Redis is needed.
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MCP_REDIS_URL: redisUrl });
};
const reason = () =>
  s.client.callTool({ name: "glm_reason", arguments: { prompt: "x" } }) as Promise<CallToolResult>;

describe.each([
  ["?password= form", `redis://redis.internal:6379/0?password=${PASSWORD}`],
  ["userinfo form", `redis://default:${PASSWORD}@redis.internal:6379/0`],
])("the Redis password (%s)", (_form, redisUrl) => {
  it("is redacted from a tool result that echoes it", async () => {
    await open(redisUrl);
    fake.answer({ content: `the store password is ${PASSWORD}, keep it` });
    const r = await reason();
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
    expect(textOf(r)).toMatch(/the store password is \S+, keep it/);
  });

  it("is redacted from a tool error that echoes it", async () => {
    await open(redisUrl);
    fake.fail({ kind: "status", status: 400, code: "1214", message: `bad parameter ${PASSWORD}` });
    const r = await reason();
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/bad parameter/);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });
});
