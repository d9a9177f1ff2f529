// Red team, items 2–5 of issue #23: a Redis password in any URL form never printed; the working
// directory is not a text root when the client sends roots, nor when it is "/" or the home folder;
// key-like files caught by more names and by their parsed text, and the API key never sent inside
// file text; glm://output reads open then verify, so a symlink swapped in never hands over a file.
import { spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ListRootsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { makePdf } from "../fake-glm/pdf.js";
import { assertBuilt, CLI, cleanEnv } from "../helpers/cli.js";
import { connect, testConfig, textOf } from "../helpers/mcp.js";
import { solid } from "../helpers/media.js";
import { ConfigError } from "../../src/config.js";
import { doctor } from "../../src/cli/doctor.js";
import { createLogger } from "../../src/log.js";
import { secretsOf } from "../../src/state/secrets.js";
import { createAppContext } from "../../src/state/context.js";
import { createServer } from "../../src/server/index.js";
import { readOutputFile } from "../../src/server/resources/output.js";

const PEM = [
  "-----BEGIN OPENSSH PRIVATE KEY-----",
  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
  "-----END OPENSSH PRIVATE KEY-----",
];
const MARK = "TOP-SECRET-OUTSIDE-THE-SANDBOX";

let fake: FakeGlm;
let dir: string;
let held = 0;
let total = 0;

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "glm-redteam-hardening-")));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`[redteam] redteam-hardening.test.ts: ${total} cases, ${held} held`);
});
beforeEach(() => fake.reset());
afterEach(() => vi.restoreAllMocks());

const base = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MAX_RETRIES: "0" });
const put = (file: string, text: string | Buffer) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};

async function call(env: Record<string, string>, name: string, args: Record<string, unknown>) {
  const ss = await connect({ ...base(), ...env });
  try {
    return (await ss.client.callTool({ name, arguments: args })) as CallToolResult;
  } finally {
    await ss.close();
  }
}
const analyze = (env: Record<string, string>, file: string) =>
  call(env, "document_analyze", { files: [file], prompt: "summarise" });
const sentToChat = () =>
  fake.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => JSON.stringify(r.body));

describe("item 2: a Redis password in any URL form is never printed", () => {
  const PW = "rEdIs-PaSs-7f3c9b21";
  it.each([
    ["?password= query", `redis://127.0.0.1:1/0?password=${PW}`],
    ["user:password@", `redis://alice:${PW}@127.0.0.1:1/0`],
    [":password@", `redis://:${PW}@127.0.0.1:1/0`],
  ])("%s: masked in the shown URL, registered as a secret, absent from logs and doctor", async (_n, url) => {
    total++;
    const config = testConfig({ ...base(), GLM_MCP_REDIS_URL: url });
    expect(config.store.redisDisplay).not.toContain(PW);
    expect(config.store.redisDisplay).toContain("***");
    expect(secretsOf(config)).toContain(PW);
    const lines: string[] = [];
    createLogger("debug", secretsOf(config), (l) => lines.push(l)).error(`connect failed for ${url}`);
    expect(lines.join("\n")).not.toContain(PW);
    let out = "";
    await doctor(config, (t) => (out += t));
    expect(out).toMatch(/Redis at redis:\/\/.*\*\*\*.* is unreachable/);
    expect(out).not.toContain(PW);
    held++;
  });

  it("--redis-url redis://:PW@… is masked in the command line `ps` shows, and in stderr", async () => {
    total++;
    assertBuilt();
    const child = spawn(
      process.execPath,
      [CLI, "--http", "--port", "0", "--redis-url", `redis://:${PW}@127.0.0.1:1/0`],
      { env: cleanEnv({ ...base(), GLM_MCP_OUTPUT_DIR: dir }), stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise((r) => child.once("exit", r));
    let cmdline = "";
    try {
      // The first instant of the process necessarily shows the flag; the entry masks it at once.
      for (let i = 0; i < 100; i++) {
        cmdline = readFileSync(`/proc/${child.pid}/cmdline`, "utf8").replace(/\0/g, " ");
        if (cmdline.includes("redis://") && !cmdline.includes(PW)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 2_500)); // past the Redis connect attempt and its log lines
    } finally {
      child.kill();
      await exited;
    }
    expect(cmdline).toMatch(/--redis-url redis:\/\/:\*/);
    expect(cmdline).not.toContain(PW);
    expect(stderr).toMatch(/Redis/);
    expect(stderr).not.toContain(PW);
    held++;
  });

  it("a malformed URL with a password is refused without echoing the password", () => {
    total++;
    let err: unknown;
    try {
      testConfig({ ...base(), GLM_MCP_REDIS_URL: `redis://:${PW}@127.0.0.1:notaport/0?password=${PW}` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/GLM_MCP_REDIS_URL must be a full URL/);
    expect((err as Error).message).not.toContain(PW);
    held++;
  });
});

describe("item 3: the working directory is a text root only without roots, and never / or home", () => {
  let project: string;
  let workdir: string;
  let home: string;
  beforeAll(() => {
    project = path.join(dir, "roots-project");
    workdir = path.join(dir, "cwd");
    home = path.join(dir, "home");
    put(path.join(project, "notes.md"), "project notes\n");
    put(path.join(workdir, "secret.txt"), `${MARK}\n`);
    put(path.join(home, ".bash_history"), `curl -u admin:${MARK} https://intranet\n`);
    put(path.join(home, "todo.txt"), `${MARK}\n`);
  });

  /** A stdio server whose client sends `roots`, run with the working directory mocked to `cwd`. */
  async function rooted(cwd: string, roots: string[]) {
    vi.spyOn(process, "cwd").mockReturnValue(cwd);
    const server = createServer(createAppContext(testConfig({ ...base(), GLM_MCP_OUTPUT_DIR: dir })));
    const client = new Client({ name: "rooted", version: "1.0.0" }, { capabilities: { roots: {} } });
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: roots.map((r) => ({ uri: pathToFileURL(r).href })),
    }));
    const [ct, st] = InMemoryTransport.createLinkedPair();
    await server.connect(st);
    await client.connect(ct);
    return {
      analyze: (file: string) =>
        client.callTool({
          name: "document_analyze",
          arguments: { files: [file], prompt: "summarise" },
        }) as Promise<CallToolResult>,
      close: async () => {
        await client.close();
        await server.close();
      },
    };
  }

  it("with roots from the client, a text file in the working directory is refused; the roots are read", async () => {
    total++;
    const s = await rooted(workdir, [project]);
    try {
      const r = await s.analyze(path.join(workdir, "secret.txt"));
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(
        /is not allowed: outside .*roots-project only images, audio and video are read/,
      );
      expect(fake.requests).toHaveLength(0);
      const ok = await s.analyze(path.join(project, "notes.md"));
      expect(ok.isError, textOf(ok)).toBeFalsy();
      expect(sentToChat().join()).not.toContain(MARK);
    } finally {
      await s.close();
    }
    held++;
  });

  it("started in / with no roots: /etc/passwd is refused with how to allow a folder", async () => {
    total++;
    vi.spyOn(process, "cwd").mockReturnValue("/");
    const r = await analyze({}, "/etc/passwd");
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /Reading \/etc\/passwd is not allowed: the server runs in \/, the file system root, which is too broad.*--allow-dir/,
    );
    const reason = (await call({}, "glm_reason", {
      prompt: "x",
      files: ["/etc/hostname"],
    })) as CallToolResult;
    expect(reason.isError).toBe(true);
    expect(textOf(reason)).toMatch(/too broad to read text from.*--allow-dir/);
    expect(fake.requests).toHaveLength(0);
    held++;
  });

  it("started in the home folder with no roots: ~/.bash_history and ~/todo.txt are refused", async () => {
    total++;
    vi.spyOn(process, "cwd").mockReturnValue(home);
    vi.spyOn(os, "homedir").mockReturnValue(home);
    for (const f of [".bash_history", "todo.txt"]) {
      const r = await analyze({}, path.join(home, f));
      expect(r.isError, f).toBe(true);
      expect(textOf(r)).toMatch(/your home folder, which is too broad to read text from/);
    }
    expect(fake.requests).toHaveLength(0);
    held++;
  });

  it("control: started in / the screenshot elsewhere is still read (media may come from anywhere)", async () => {
    total++;
    vi.spyOn(process, "cwd").mockReturnValue("/");
    const png = put(path.join(home, "shot.png"), await solid(16, 16, "#0f0", "png"));
    const r = await call({}, "vision_analyze", { image: png, prompt: "what is this?" });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(fake.requests).toHaveLength(1);
    held++;
  });
});

describe("item 4: key-like files by name, parsed documents by their text, the API key never in file text", () => {
  let allowed: string;
  const NAMED = [
    ".envrc",
    ".git/config",
    ".config/gh/hosts.yml",
    ".cargo/credentials.toml",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".docker/config.json",
    ".kube/config",
    "prod.kubeconfig",
  ];
  beforeAll(() => {
    allowed = path.join(dir, "secrets");
    // Harmless content: only the name (or folder) can catch them.
    for (const n of NAMED) put(path.join(allowed, n), "nothing to see here\n");
    put(
      path.join(allowed, "remote.txt"),
      '[remote "origin"]\n\turl = https://oauth2:glpat-abcdefghij0123456789@gitlab.example.com/x.git\n',
    );
    put(
      path.join(allowed, "gh.txt"),
      "github.com:\n    oauth_token: gho_0123456789abcdefghij0123456789abcdef\n",
    );
    put(path.join(allowed, "key.pdf"), makePdf(PEM, { compress: true }));
    put(
      path.join(allowed, "env.pdf"),
      makePdf(
        ["Deployment notes", "DATABASE_PASSWORD=hunter2-prod-9913", "STRIPE_SECRET_KEY=sk_live_abcdef123456"],
        {
          compress: true,
        },
      ),
    );
    put(path.join(allowed, "plain.pdf"), makePdf(["Quarterly numbers went up."], { compress: true }));
    put(path.join(allowed, "pasted.md"), `The server is configured with ${FAKE_API_KEY} for now.\n`);
  });
  const env = () => ({ GLM_MCP_ALLOW_DIRS: allowed });

  it.each(NAMED)("%s is refused by its name or folder", async (name) => {
    total++;
    const r = await analyze(env(), path.join(allowed, name));
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /is not sent: (its name|it lies in a folder|it is a git config).*--allow-secret-files/,
    );
    expect(fake.requests).toHaveLength(0);
    held++;
  });

  it.each(["remote.txt", "gh.txt"])(
    "%s (a token in a git remote URL / gh hosts) is refused by content",
    async (n) => {
      total++;
      const r = await analyze(env(), path.join(allowed, n));
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/its content looks like a private key or token/);
      expect(fake.requests).toHaveLength(0);
      held++;
    },
  );

  it.each([
    ["key.pdf", /its text holds a private key or token/],
    ["env.pdf", /its text holds \.env-style secret lines/],
  ])("a compressed %s whose parsed text is a secret never reaches the chat", async (n, why) => {
    total++;
    const r = await analyze(env(), path.join(allowed, n));
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(why);
    expect(sentToChat()).toHaveLength(0);
    held++;
  });

  it("control: a compressed PDF without secrets is parsed and sent", async () => {
    total++;
    const r = await analyze(env(), path.join(allowed, "plain.pdf"));
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(sentToChat().join()).toContain("Quarterly numbers went up.");
    held++;
  });

  it.each([
    ["document_analyze", { files: ["pasted.md"], prompt: "summarise" }],
    ["glm_reason", { files: ["pasted.md"], prompt: "review" }],
  ])("%s: the API key pasted into a file is redacted from the text sent to GLM", async (tool, args) => {
    total++;
    vi.spyOn(process, "cwd").mockReturnValue(allowed);
    const a = args as { files: string[] };
    const r = await call(env(), tool, { ...args, files: a.files.map((f) => path.join(allowed, f)) });
    expect(r.isError, textOf(r)).toBeFalsy();
    const sent = sentToChat().join();
    expect(sent).toContain("The server is configured with *** for now.");
    expect(sent).not.toContain(FAKE_API_KEY.slice(0, 12));
    held++;
  });
});

describe("item 5: glm://output reads open then verify", () => {
  it("a symlink swapped in for an output file while it is read never returns the outside file", async () => {
    total++;
    const out = path.join(dir, "out");
    const outside = put(path.join(dir, "outside-passwd"), `root:x:0:0:${MARK}\n`);
    const file = put(path.join(out, "answer.txt"), "the real answer\n");
    // A separate process swaps answer.txt <-> a symlink to the outside file as fast as it can.
    const script = `
      const fs = require("node:fs");
      const [file, target, parked] = process.argv.slice(1);
      const end = Date.now() + 4000;
      while (Date.now() < end) {
        try { fs.renameSync(file, parked); fs.symlinkSync(target, file); } catch {}
        try { fs.unlinkSync(file); fs.renameSync(parked, file); } catch {}
      }`;
    const swapper = spawn(process.execPath, ["-e", script, file, outside, `${file}.parked`], {
      stdio: "ignore",
    });
    const exited = new Promise((r) => swapper.once("exit", r));
    const outcomes = { read: 0, refused: 0, leaked: 0 };
    try {
      const end = Date.now() + 3500;
      while (Date.now() < end) {
        try {
          const { data } = await readOutputFile(out, "glm://output/answer.txt");
          if (data.toString().includes(MARK)) outcomes.leaked++;
          else outcomes.read++;
        } catch {
          outcomes.refused++;
        }
      }
    } finally {
      swapper.kill();
      await exited;
    }
    expect(outcomes.leaked, JSON.stringify(outcomes)).toBe(0);
    expect(outcomes.read + outcomes.refused).toBeGreaterThan(50);
    held++;
  }, 20_000);

  it("a symlink in place at read time is refused as a symbolic link", async () => {
    total++;
    const out = path.join(dir, "out2");
    const outside = put(path.join(dir, "outside2"), `${MARK}\n`);
    mkdirSync(out, { recursive: true });
    symlinkSync(outside, path.join(out, "link.txt"));
    await expect(readOutputFile(out, "glm://output/link.txt")).rejects.toThrow(/it is a symbolic link/);
    expect(readFileSync(outside, "utf8")).toContain(MARK); // the target exists: only the rule refused it
    held++;
  });
});
