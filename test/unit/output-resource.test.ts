// A glm://output/ file that is not on this disk: the error names the path that was looked up and,
// when replicas share state (a Redis store), this replica, and says where output files live.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readOutputFile } from "../../src/server/resources/output.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "glm-mcp-output-res-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const messageOf = (p: Promise<unknown>) =>
  p.then(
    () => "no error",
    (e: Error) => e.message,
  );

describe("readOutputFile, a missing file", () => {
  it("with a shared store names the replica-local path, this replica, and the shared volume", async () => {
    const message = await messageOf(readOutputFile(dir, "glm://output/answer-1.md", true));
    expect(message).toContain(`no file ${path.join(dir, "answer-1.md")} on this replica`);
    expect(message).toContain(`(${os.hostname()}, pid ${process.pid})`);
    expect(message).toMatch(
      /live on the disk of the replica that wrote them unless GLM_MCP_OUTPUT_DIR is a volume every replica shares/,
    );
  });

  it("in one process names the path without talk of replicas", async () => {
    const message = await messageOf(readOutputFile(dir, "glm://output/answer-1.md"));
    expect(message).toContain(path.join(dir, "answer-1.md"));
    expect(message).not.toMatch(/replica|pid/);
  });

  it("a file that is there is read in both modes", async () => {
    writeFileSync(path.join(dir, "here.md"), "# here\n");
    for (const replicated of [false, true]) {
      const file = await readOutputFile(dir, "glm://output/here.md", replicated);
      expect(file.data.toString("utf8")).toBe("# here\n");
    }
  });
});
