// Security rules of media intake seen through real tool calls: no downloads from loopback/private
// hosts over HTTP (audio too), and client MCP roots that cannot be read never mean "read anywhere".
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ListRootsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createAppContext } from "../../src/state/context.js";
import { createServer } from "../../src/server/index.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { toneWav } from "../helpers/audio.js";
import { connect, testConfig, textOf } from "../helpers/mcp.js";
import { sendBytes, serveRoutes, type TinyServer } from "../helpers/media.js";

let fake: FakeGlm;
let web: TinyServer;
let dir: string;
let project: string;
let elsewhere: string;
const wav = toneWav({ durationMs: 500, sampleRate: 16000 });
const notes = "# Project notes\n\nnothing secret here\n";
const secret = "PRIVATE KEY material that must never reach GLM\n";

beforeAll(async () => {
  fake = await startFakeGlm();
  web = await serveRoutes({ "/question.wav": sendBytes(wav, "audio/wav") });
  dir = mkdtempSync(path.join(os.tmpdir(), "glm-intake-sec-"));
  project = path.join(dir, "project");
  elsewhere = path.join(dir, "elsewhere");
  mkdirSync(project);
  mkdirSync(elsewhere);
  writeFileSync(path.join(project, "notes.md"), notes);
  writeFileSync(path.join(elsewhere, "id_rsa.txt"), secret);
});
afterAll(async () => {
  await fake.close();
  await web.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

const env = () => ({
  GLM_API_KEY: FAKE_API_KEY,
  GLM_BASE_URL: fake.baseUrl,
  GLM_MAX_RETRIES: "0",
  GLM_MCP_OUTPUT_DIR: path.join(dir, "out"),
});

describe("voice_reply over HTTP (SSRF)", () => {
  it("refuses a loopback audio URL without fetching it, even with --inline-urls, and fetches it once --allow-private-urls is set", async () => {
    const ss = await connect({ ...env(), GLM_MCP_HTTP: "1", GLM_MCP_INLINE_URLS: "1" });
    try {
      const hits = web.hits.length;
      const r = (await ss.client.callTool({
        name: "voice_reply",
        arguments: { audio: `${web.url}/question.wav` },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(
        /does not download audios from local, private or reserved addresses \(127\.0\.0\.1\): pass a public URL, a data: URI or base64 instead, or start the server with --allow-private-urls/,
      );
      expect(web.hits.length).toBe(hits);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await ss.close();
    }
    const opted = await connect({ ...env(), GLM_MCP_HTTP: "1", GLM_MCP_ALLOW_PRIVATE_URLS: "1" });
    try {
      const r = (await opted.client.callTool({
        name: "voice_reply",
        arguments: { audio: `${web.url}/question.wav` },
      })) as CallToolResult;
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(fake.requests.at(-1)!.body.messages[0].content[0]).toEqual({
        type: "input_audio",
        input_audio: { data: wav.toString("base64"), format: "wav" },
      });
    } finally {
      await opted.close();
    }
  });
});

describe("client MCP roots (stdio) never fail open", () => {
  /** A stdio-mode server and a client that declares roots and answers roots/list with `list`. */
  async function rooted(list: () => Promise<{ roots: { uri: string; name?: string }[] }>) {
    const server = createServer(createAppContext(testConfig(env())));
    const client = new Client({ name: "rooted", version: "1.0.0" }, { capabilities: { roots: {} } });
    client.setRequestHandler(ListRootsRequestSchema, list);
    const [ct, st] = InMemoryTransport.createLinkedPair();
    await server.connect(st);
    await client.connect(ct);
    const analyze = (file: string) =>
      client.callTool({
        name: "document_analyze",
        arguments: { files: [file], prompt: "summarise" },
      }) as Promise<CallToolResult>;
    return {
      analyze,
      client,
      close: async () => {
        await client.close();
        await server.close();
      },
    };
  }

  it("skips an unusable UNC root alone: the valid root still bounds reads (/etc/passwd refused, project file read)", async () => {
    const s = await rooted(async () => ({
      roots: [
        { uri: "file://fileserver/share/project", name: "unc" },
        { uri: pathToFileURL(project).href, name: "project" },
      ],
    }));
    try {
      const passwd = await s.analyze("/etc/passwd");
      expect(passwd.isError).toBe(true);
      expect(textOf(passwd)).toMatch(
        /Reading \/etc\/passwd is not allowed: outside .*project.* only images, audio and video are read \(its bytes look like plain text\)/,
      );
      const key = await s.analyze(path.join(elsewhere, "id_rsa.txt"));
      expect(key.isError).toBe(true);
      expect(fake.requests).toHaveLength(0);
      const ok = await s.analyze(path.join(project, "notes.md"));
      expect(ok.isError, textOf(ok)).toBeFalsy();
      expect(JSON.stringify(fake.requests[0]!.body)).toContain("nothing secret here");
    } finally {
      await s.close();
    }
  });

  it("refuses all local reads when listing the roots fails, saying why and what to do", async () => {
    const s = await rooted(async () => {
      throw new Error("roots backend crashed");
    });
    try {
      for (const file of ["/etc/passwd", path.join(project, "notes.md")]) {
        const r = await s.analyze(file);
        expect(r.isError, file).toBe(true);
        expect(textOf(r)).toMatch(
          /Local document files cannot be read for this call: the client declared MCP roots but listing them failed \(.*roots backend crashed\); pass a URL or a data: URI \/ base64 instead, or fix the roots the client sends/,
        );
      }
      expect(fake.requests).toHaveLength(0);
      const inline = await s.analyze(`data:text/plain;base64,${Buffer.from(notes).toString("base64")}`);
      expect(inline.isError, textOf(inline)).toBeFalsy();
    } finally {
      await s.close();
    }
  });

  it("refuses all local reads when every listed root is unusable", async () => {
    const s = await rooted(async () => ({
      roots: [{ uri: "file://fileserver/share/project" }, { uri: "file://nas/home/me" }],
    }));
    try {
      const r = await s.analyze("/etc/passwd");
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(
        /cannot be read for this call: the client declared MCP roots but none of them is a folder on this machine \(file:\/\/fileserver\/share\/project/,
      );
      expect(fake.requests).toHaveLength(0);
    } finally {
      await s.close();
    }
    // A root that is not file:// at all makes the SDK reject the whole answer: refused too, in one line.
    const bad = await rooted(async () => ({ roots: [{ uri: "https://example.com/repo" }] }));
    try {
      const r = await bad.analyze("/etc/passwd");
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/listing them failed \(its answer is not a valid roots list\); pass a URL/);
      expect(textOf(r)).not.toContain("\n");
    } finally {
      await bad.close();
    }
  });

  it("with an explicitly empty roots list, reads text only from the working directory and media from anywhere", async () => {
    const s = await rooted(async () => ({ roots: [] }));
    try {
      const r = await s.analyze(path.join(elsewhere, "id_rsa.txt"));
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/is not allowed: outside .* only images, audio and video are read/);
      expect(fake.requests).toHaveLength(0);
      writeFileSync(path.join(elsewhere, "question.wav"), wav);
      const audio = (await s.client.callTool({
        name: "voice_reply",
        arguments: { audio: path.join(elsewhere, "question.wav") },
      })) as CallToolResult;
      expect(audio.isError, textOf(audio)).toBeFalsy();
      expect(fake.requests).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
