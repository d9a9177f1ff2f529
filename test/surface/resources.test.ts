// Resources: glm://models (catalog), glm://usage (per-model tokens), glm://output/{name} (saved files).
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { MODELS } from "../../src/glm/models.js";
import { saveOutputFile } from "../../src/output/files.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
afterEach(async () => {
  await s?.close();
  fake.reset();
});

const open = async () => (s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl }));
const readText = async (uri: string) => {
  const r = await s.client.readResource({ uri });
  const c = r.contents[0] as { uri: string; mimeType?: string; text?: string; blob?: string };
  return c;
};

describe("resource listing", () => {
  it("lists glm://models and glm://usage, and the glm://output/{name} template", async () => {
    await open();
    const { resources } = await s.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining(["glm://models", "glm://usage"]));
    for (const r of resources.filter((x) => !x.uri.startsWith("glm://output/"))) {
      expect(r.mimeType).toBe("application/json");
      expect(r.description?.length).toBeGreaterThan(20);
    }
    const { resourceTemplates } = await s.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain("glm://output/{name}");
    expect(s.client.getServerCapabilities()?.resources).toBeDefined();
  });
});

describe("glm://models", () => {
  it("serves the whole catalog with limits, modalities, thinking, tool and free flags", async () => {
    await open();
    const c = await readText("glm://models");
    expect(c.mimeType).toBe("application/json");
    const doc = JSON.parse(c.text!) as { models: Record<string, unknown>[] };
    // Only what the region (cn by default) serves: glm-4.5 and glm-4.5v are api.z.ai only.
    expect(doc.models.map((m) => m.name)).toEqual(
      MODELS.filter((m) => m.regions.includes("cn")).map((m) => m.name),
    );
    expect(doc.models.map((m) => m.name)).not.toContain("glm-4.5");
    const byName = new Map(doc.models.map((m) => [m.name as string, m]));
    // Figures from the seed model pages.
    expect(byName.get("glm-4.7")).toMatchObject({
      contextTokens: 200_000,
      maxOutputTokens: 131_072,
      input: ["text"],
      output: ["text"],
      free: false,
    });
    expect(byName.get("glm-4.6v-flash")).toMatchObject({
      contextTokens: 128_000,
      free: true,
      tool: expect.stringContaining("vision_analyze"),
    });
    expect(byName.get("glm-4.1v-thinking-flash")).toMatchObject({
      contextTokens: 64_000,
      thinking: "always",
      input: ["text", "image", "video"],
      free: true,
    });
    expect(byName.get("glm-4-voice")).toMatchObject({
      contextTokens: 8_000,
      maxOutputTokens: 4_096,
      pricing: "80 CNY/M tokens",
    });
    expect(byName.get("embedding-3")).toMatchObject({
      output: ["embedding"],
      pricing: "0.5 CNY/M tokens",
      tool: "embed_text",
    });
    expect(byName.get("glm-realtime-flash")).toMatchObject({
      maxOutputTokens: 1_024,
      input: ["text", "audio", "video"],
    });
    for (const m of doc.models) {
      expect(typeof m.family).toBe("string");
      expect(["always", "toggle", "none"]).toContain(m.thinking);
      expect(typeof m.free).toBe("boolean");
      expect(String(m.tool)).toMatch(/^[a-z_]+(, [a-z_]+)*$/);
    }
  });

  it("names for every model the listed tools that take it (from each tool's declared calls)", async () => {
    await open();
    const listed = new Set((await s.client.listTools()).tools.map((t) => t.name));
    const doc = JSON.parse((await readText("glm://models")).text!) as { models: Record<string, string>[] };
    const tool = new Map(doc.models.map((m) => [m.name, m.tool]));
    const named = [...new Set(doc.models.flatMap((m) => m.tool!.split(", ")))];
    expect(named.filter((n) => !listed.has(n))).toEqual([]);
    // No model without a tool, and the modality a tool needs is honoured.
    expect(doc.models.filter((m) => !m.tool).map((m) => m.name)).toEqual([]);
    expect(tool.get("glm-4.6v")).toBe("vision_analyze, vision_locate, video_understand, document_analyze");
    expect(tool.get("glm-4v-flash")).toBe("vision_analyze, vision_locate");
    expect(tool.get("glm-ocr")).toBe("document_analyze");
    expect(tool.get("rerank")).toBe("embed_text");
  });
});

describe("glm://usage", () => {
  it("starts empty and counts calls and tokens per model after a tool call", async () => {
    await open();
    const before = JSON.parse((await readText("glm://usage")).text!);
    expect(before.models).toEqual({});
    expect(before.totals.calls).toBe(0);
    fake.answer({ content: "ok", usage: { prompt_tokens: 11, completion_tokens: 7 } });
    const r = await s.client.callTool({
      name: "glm_reason",
      arguments: { prompt: "count me", model: "glm-4.7-flash" },
    });
    expect(r.isError).toBeFalsy();
    const after = JSON.parse((await readText("glm://usage")).text!);
    expect(after.models["glm-4.7-flash"]).toMatchObject({
      calls: 1,
      errors: 0,
      prompt_tokens: 11,
      completion_tokens: 7,
      total_tokens: 18,
    });
    expect(after.totals).toMatchObject({ calls: 1, total_tokens: 18 });
    expect(Date.parse(after.since)).not.toBeNaN();
  });
});

describe("glm://output/{name}", () => {
  it("lists saved files and reads text as text and binary as base64", async () => {
    await open();
    const txt = await saveOutputFile(s.outputDir, "answer", "md", "# long answer\n", "text/markdown");
    const wavBytes = new Uint8Array([82, 73, 70, 70, 0, 1, 2, 255]);
    const wav = await saveOutputFile(s.outputDir, "voice", "wav", wavBytes, "audio/wav");
    writeFileSync(path.join(s.outputDir, "half.wav.abc.part"), "partial");

    const { resources } = await s.client.listResources();
    const outputs = resources.filter((r) => r.uri.startsWith("glm://output/"));
    expect(outputs.map((r) => r.uri).sort()).toEqual([txt.uri, wav.uri].sort());
    expect(outputs.find((r) => r.uri === wav.uri)).toMatchObject({
      name: wav.name,
      mimeType: "audio/wav",
      size: wavBytes.byteLength,
    });

    const t = await readText(txt.uri);
    expect(t).toMatchObject({ uri: txt.uri, mimeType: "text/markdown", text: "# long answer\n" });
    const b = await readText(wav.uri);
    expect(b.mimeType).toBe("audio/wav");
    expect(Buffer.from(b.blob!, "base64")).toEqual(Buffer.from(wavBytes));
  });

  it("refuses to read a half-written .part file, as the listing hides it", async () => {
    await open();
    writeFileSync(path.join(s.outputDir, "voice-1.wav.abc123.part"), "RIFF half");
    const err = (await s.client
      .readResource({ uri: "glm://output/voice-1.wav.abc123.part" })
      .catch((e: unknown) => e)) as McpError;
    expect(err).toBeInstanceOf(McpError);
    expect(err.code).toBe(-32002);
    expect(err.message).toContain("still being written");
    expect(JSON.stringify(err)).not.toContain("RIFF half");
  });

  it("a WAV that voice_reply saved is listed and readable through its resource_link", async () => {
    await open();
    const r = (await s.client.callTool({ name: "voice_reply", arguments: { text: "say hi" } })) as {
      isError?: boolean;
      content: { type: string; uri?: string; mimeType?: string }[];
    };
    expect(r.isError).toBeFalsy();
    const link = r.content.find((c) => c.type === "resource_link");
    expect(link?.uri).toMatch(/^glm:\/\/output\/.+\.wav$/);
    const { resources } = await s.client.listResources();
    expect(resources.map((x) => x.uri)).toContain(link!.uri);
    const c = await readText(link!.uri!);
    expect(c.mimeType).toBe("audio/wav");
    const bytes = Buffer.from(c.blob!, "base64");
    expect(bytes.subarray(0, 4).toString("ascii")).toBe("RIFF");
    expect(bytes.subarray(8, 12).toString("ascii")).toBe("WAVE");
  });

  it("refuses names outside the output directory, dot files, symlinks and missing files", async () => {
    await open();
    const outside = mkdtempSync(path.join(os.tmpdir(), "glm-mcp-outside-"));
    writeFileSync(path.join(outside, "secret.txt"), "secret");
    symlinkSync(path.join(outside, "secret.txt"), path.join(s.outputDir, "link.txt"));
    writeFileSync(path.join(s.outputDir, ".hidden.txt"), "hidden");
    const bad = [
      "glm://output/..%2F" + path.basename(outside) + "%2Fsecret.txt",
      "glm://output/%2Fetc%2Fpasswd",
      "glm://output/.hidden.txt",
      "glm://output/link.txt",
      "glm://output/nope.txt",
    ];
    for (const uri of bad) {
      const err = await s.client.readResource({ uri }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, uri).toBeInstanceOf(McpError);
      expect(JSON.stringify(err)).not.toContain('secret"');
    }
    const notFound = (await s.client
      .readResource({ uri: "glm://output/nope.txt" })
      .catch((e: McpError) => e)) as McpError;
    expect(notFound.code).toBe(-32002);
    expect(notFound.message).toContain("glm://output/nope.txt");
    // The symlink is not listed either.
    const { resources } = await s.client.listResources();
    expect(resources.map((r) => r.uri)).not.toContain("glm://output/link.txt");
  });
});
