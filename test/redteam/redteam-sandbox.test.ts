// Red team, class 3 of issue #14 and item 4 of #13: local reads go through one sandbox that opens
// then verifies what it opened; over stdio media (by its bytes) may come from anywhere the user can
// read, text only from roots, allow-dirs or the working directory, and key-like files never unless
// --allow-secret-files. Every case runs a real tool call through the in-memory MCP server.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf } from "../helpers/mcp.js";
import { solid } from "../helpers/media.js";

const PEM =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n";
const SECRET_MARK = "TOP-SECRET-OUTSIDE-THE-SANDBOX";

let fake: FakeGlm;
let dir: string;
let allowed: string;
let outside: string;
let held = 0;
let total = 0;

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = mkdtempSync(path.join(os.tmpdir(), "glm-redteam-sandbox-"));
  allowed = path.join(dir, "allowed");
  outside = path.join(dir, "outside");
  mkdirSync(path.join(allowed, "sub"), { recursive: true });
  mkdirSync(path.join(outside, "sub"), { recursive: true });
  writeFileSync(path.join(allowed, "sub", "notes.txt"), "harmless notes\n");
  writeFileSync(path.join(outside, "sub", "notes.txt"), `${SECRET_MARK}\n`);
  writeFileSync(path.join(outside, "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
  writeFileSync(path.join(outside, "error.png"), await solid(16, 16, "#f00", "png"));
  writeFileSync(path.join(allowed, "notes-key.txt"), PEM);
  writeFileSync(path.join(allowed, "id_rsa"), "just some text\n");
  writeFileSync(path.join(allowed, ".env"), "DATABASE_URL=postgres://u:p@db/x\n");
  writeFileSync(
    path.join(allowed, ".npmrc"),
    "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz\n",
  );
  writeFileSync(
    path.join(allowed, "cluster.yaml"),
    "apiVersion: v1\nusers:\n- name: admin\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=\n",
  );
  writeFileSync(
    path.join(allowed, "aws.txt"),
    "[default]\naws_secret_access_key = abcdEFGHijklMNOPqrstUVWXyz0123456789abcd\n",
  );
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`[redteam] redteam-sandbox.test.ts: ${total} cases, ${held} held`);
});
beforeEach(() => fake.reset());

const base = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MAX_RETRIES: "0" });

async function call(env: Record<string, string>, name: string, args: Record<string, unknown>) {
  const ss = await connect({ ...base(), ...env });
  try {
    return (await ss.client.callTool({ name, arguments: args })) as CallToolResult;
  } finally {
    await ss.close();
  }
}

interface Row {
  name: string;
  env: () => Record<string, string>;
  tool: "document_analyze" | "vision_analyze";
  file: () => string;
  /** Expected: refused with this sentence, or accepted (undefined). */
  refused?: RegExp;
}

const doc = "document_analyze" as const;
const ROWS: Row[] = [
  {
    name: "stdio, no roots, no allow-dir: a text file outside the working directory",
    env: () => ({}),
    tool: doc,
    file: () => path.join(outside, "passwd"),
    refused: /is not allowed: outside .* only images, audio and video are read/,
  },
  {
    name: "stdio, no roots: the screenshot on the Desktop (an image outside the working directory)",
    env: () => ({}),
    tool: "vision_analyze",
    file: () => path.join(outside, "error.png"),
  },
  {
    name: "HTTP with --allow-dir: an image outside the allowed dir stays refused",
    env: () => ({ GLM_MCP_HTTP: "1", GLM_MCP_ALLOW_DIRS: allowed }),
    tool: "vision_analyze",
    file: () => path.join(outside, "error.png"),
    refused: /is not allowed: local image files must be inside/,
  },
  {
    name: "stdio with --allow-dir: the operator's bound holds for images too",
    env: () => ({ GLM_MCP_ALLOW_DIRS: allowed }),
    tool: "vision_analyze",
    file: () => path.join(outside, "error.png"),
    refused: /is not allowed: local image files must be inside/,
  },
  {
    name: "an OpenSSH private key named notes-key.txt inside the allowed dir (content sniffing)",
    env: () => ({ GLM_MCP_ALLOW_DIRS: allowed }),
    tool: doc,
    file: () => path.join(allowed, "notes-key.txt"),
    refused:
      /is not sent: its content looks like a private key or token, and key-like files stay on this machine.*--allow-secret-files/,
  },
  {
    name: "a file named id_rsa (by name, harmless content)",
    env: () => ({ GLM_MCP_ALLOW_DIRS: allowed }),
    tool: doc,
    file: () => path.join(allowed, "id_rsa"),
    refused: /its name \(id_rsa\) is one that holds keys or tokens/,
  },
  {
    name: "a .env file",
    env: () => ({ GLM_MCP_ALLOW_DIRS: allowed }),
    tool: doc,
    file: () => path.join(allowed, ".env"),
    refused: /its name \(\.env\)/,
  },
  {
    name: "an .npmrc with a token",
    env: () => ({ GLM_MCP_ALLOW_DIRS: allowed }),
    tool: doc,
    file: () => path.join(allowed, ".npmrc"),
    refused: /its name \(\.npmrc\)/,
  },
  {
    name: "a kubeconfig with client-key-data under another name",
    env: () => ({ GLM_MCP_ALLOW_DIRS: allowed }),
    tool: doc,
    file: () => path.join(allowed, "cluster.yaml"),
    refused: /its content looks like a private key or token/,
  },
  {
    name: "AWS credentials under another name",
    env: () => ({ GLM_MCP_ALLOW_DIRS: allowed }),
    tool: doc,
    file: () => path.join(allowed, "aws.txt"),
    refused: /its content looks like a private key or token/,
  },
  {
    name: "control: --allow-secret-files lets the key through when the operator says so",
    env: () => ({ GLM_MCP_ALLOW_DIRS: allowed, GLM_MCP_ALLOW_SECRET_FILES: "1" }),
    tool: doc,
    file: () => path.join(allowed, "notes-key.txt"),
  },
];

describe("red team: local reads", () => {
  it.each(ROWS)("$name", async (row) => {
    total++;
    const args =
      row.tool === "vision_analyze"
        ? { image: row.file(), prompt: "what is this?" }
        : { files: [row.file()], prompt: "summarise" };
    const r = await call(row.env(), row.tool, args);
    if (row.refused) {
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(row.refused);
      expect(fake.requests).toHaveLength(0);
    } else {
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(fake.requests).toHaveLength(1);
    }
    held++;
  });

  it("a directory swapped for a symlink between check and open never lets the outside file through", async () => {
    total++;
    // A separate process swaps allowed/sub <-> a symlink to outside/sub as fast as it can, for a
    // bounded time, while the server reads allowed/sub/notes.txt again and again.
    const sub = path.join(allowed, "sub");
    const script = `
      const fs = require("node:fs");
      const [sub, target, parked] = process.argv.slice(1);
      const end = Date.now() + 4000;
      while (Date.now() < end) {
        try { fs.renameSync(sub, parked); fs.symlinkSync(target, sub); } catch {}
        try { fs.unlinkSync(sub); fs.renameSync(parked, sub); } catch {}
      }
      try { fs.unlinkSync(sub); } catch {}
      try { fs.renameSync(parked, sub); } catch {}`;
    const swapper = spawn(process.execPath, ["-e", script, sub, path.join(outside, "sub"), `${sub}.parked`], {
      stdio: "ignore",
    });
    const exited = new Promise((r) => swapper.once("exit", r));
    const ss = await connect({ ...base(), GLM_MCP_ALLOW_DIRS: allowed });
    const outcomes = { read: 0, refused: 0, leaked: 0 };
    try {
      for (let i = 0; i < 120; i++) {
        const r = (await ss.client.callTool({
          name: "document_analyze",
          arguments: { files: [path.join(sub, "notes.txt")], prompt: "summarise" },
        })) as CallToolResult;
        if (r.isError) outcomes.refused++;
        else outcomes.read++;
      }
      outcomes.leaked = fake.requests.filter((q) => JSON.stringify(q.body).includes(SECRET_MARK)).length;
    } finally {
      await ss.close();
      swapper.kill();
      await exited;
    }
    expect(outcomes.leaked, JSON.stringify(outcomes)).toBe(0);
    expect(outcomes.read + outcomes.refused).toBe(120);
    held++;
  }, 30_000);
});
