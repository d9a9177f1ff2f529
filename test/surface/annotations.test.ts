// Tool annotations as MCP defines them: a tool that writes a new file on every call changes its
// environment (not readOnly) and a repeat has an additional effect (not idempotent).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type TestSession } from "../helpers/mcp.js";

/** Tools whose every successful call saves a file under GLM_MCP_OUTPUT_DIR. */
const WRITES_A_FILE_PER_CALL = ["embed_text", "vision_locate", "voice_reply", "realtime_chat"];

let s: TestSession;
beforeAll(async () => {
  s = await connect({ GLM_API_KEY: "test-key.annotations" });
});
afterAll(async () => s.close());

describe("tool annotations", () => {
  it("file-writing tools are neither read-only nor idempotent", async () => {
    const { tools } = await s.client.listTools();
    for (const name of WRITES_A_FILE_PER_CALL) {
      const tool = tools.find((t) => t.name === name);
      expect(tool, name).toBeDefined();
      expect(tool!.annotations, name).toMatchObject({ readOnlyHint: false, idempotentHint: false });
    }
  });

  it("every tool says whether it reaches the outside world and never claims to destroy anything", async () => {
    const { tools } = await s.client.listTools();
    for (const t of tools) {
      expect(t.annotations?.openWorldHint, t.name).toBe(true);
      expect(t.annotations?.destructiveHint, t.name).toBe(false);
    }
  });
});
