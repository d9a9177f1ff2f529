// video_understand against the fake GLM (which sniffs inline base64 videos as mp4/mov/mkv).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { matroskaBytes, mp4Bytes, serveRoutes, sendBytes, solid, type TinyServer } from "../helpers/media.js";

let fake: FakeGlm;
let s: TestSession;
let dir: string;
let web: TinyServer;
const clip = mp4Bytes("isom", 64 * 1024);
const env = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = mkdtempSync(path.join(os.tmpdir(), "glm-video-"));
  writeFileSync(path.join(dir, "clip.mp4"), clip);
  writeFileSync(path.join(dir, "clip.mov"), mp4Bytes("qt  ", 4096));
  writeFileSync(path.join(dir, "clip.mkv"), matroskaBytes("matroska", 4096));
  writeFileSync(path.join(dir, "clip.webm"), matroskaBytes("webm", 4096));
  writeFileSync(path.join(dir, "big.mp4"), mp4Bytes("isom", 2 * 1024 * 1024 + 10));
  writeFileSync(path.join(dir, "photo.mp4"), await solid(8, 8, "#fff", "png"));
  web = await serveRoutes({ "/clip.mp4": sendBytes(clip, "video/mp4") });
});
afterAll(async () => {
  await fake.close();
  await web.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  s = await connect(env());
});
afterEach(() => s.close());

const call = (
  args: Record<string, unknown>,
  extra: Parameters<TestSession["client"]["callTool"]>[2] = {},
  session = s,
) =>
  session.client.callTool(
    { name: "video_understand", arguments: args },
    undefined,
    extra,
  ) as Promise<CallToolResult>;
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;

describe("video_understand", () => {
  it("passes a video URL through as video_url, exactly", async () => {
    const r = await call({ video: "https://example.com/demo.mp4", prompt: "Summarise", thinking: false });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-4.6v",
      messages: [
        {
          role: "user",
          content: [
            { type: "video_url", video_url: { url: "https://example.com/demo.mp4" } },
            { type: "text", text: "Summarise" },
          ],
        },
      ],
      thinking: { type: "disabled" },
      stream: true,
    });
    expect(sc(r)).toMatchObject({
      model: "glm-4.6v",
      video: { source: "https://example.com/demo.mp4", source_kind: "url", sent_as: "url" },
      finish_reason: "stop",
    });
    expect(textOf(r)).toContain("Echo: Summarise [1 video]");
  });

  it("sends a small local mp4 inline as bare base64, with progress", async () => {
    const seen: string[] = [];
    const r = await call(
      { video: path.join(dir, "clip.mp4"), prompt: "What happens?" },
      { onprogress: (p) => seen.push(p.message ?? "") },
    );
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(fake.requests[0]!.body.messages[0].content[0]).toEqual({
      type: "video_url",
      video_url: { url: clip.toString("base64") },
    });
    expect(sc(r).video).toEqual({
      source: "clip.mp4",
      source_kind: "path",
      sent_as: "base64",
      format: "mp4",
      bytes: clip.length,
    });
    expect(seen).toEqual(expect.arrayContaining(["preparing the video", "waiting for glm-4.6v"]));
  });

  it("accepts mov and mkv, refuses webm with a conversion hint", async () => {
    for (const f of ["clip.mov", "clip.mkv"])
      expect((await call({ video: path.join(dir, f), prompt: "x" })).isError, f).toBeFalsy();
    const webm = await call({ video: path.join(dir, "clip.webm"), prompt: "x" });
    expect(webm.isError).toBe(true);
    expect(textOf(webm)).toMatch(/is WEBM, which GLM does not take \(mp4, mov, mkv only\).*ffmpeg/);
  });

  it("over the inline cap, says the limit and to pass a URL", async () => {
    const ss = await connect({ ...env(), GLM_MCP_VIDEO_MAX_MB: "2" });
    try {
      const r = await call({ video: path.join(dir, "big.mp4"), prompt: "x" }, {}, ss);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(
        /over the 2\.0 MB limit for local video files; videos larger than 2\.0 MB must be passed as an http\(s\) URL/,
      );
      expect(fake.requests).toHaveLength(0);
    } finally {
      await ss.close();
    }
  });

  it("downloads a loopback video URL and inlines it", async () => {
    const r = await call({ video: `${web.url}/clip.mp4`, prompt: "x" });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(fake.requests[0]!.body.messages[0].content[0].video_url.url).toBe(clip.toString("base64"));
    expect(sc(r).video).toMatchObject({ source_kind: "url", sent_as: "base64", format: "mp4" });
  });

  it("refuses a non-video renamed .mp4, and glm-4v-flash (no video support)", async () => {
    const r = await call({ video: path.join(dir, "photo.mp4"), prompt: "x" });
    expect(textOf(r)).toMatch(
      /is not a video: its bytes look like PNG \(image\/png\) \(use vision_analyze for images\)/,
    );
    const flash = await call({ video: "https://example.com/a.mp4", prompt: "x", model: "glm-4v-flash" });
    expect(textOf(flash)).toMatch(/glm-4v-flash does not take video: use glm-4\.6v/);
    expect(fake.requests).toHaveLength(0);
  });
});
