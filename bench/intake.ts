// Media intake: for a 12-megapixel photo and a 4K screenshot, the time the intake takes, the bytes
// and pixels that go upstream, against sending the original file as-is (what the official GLM MCP
// server does). Both paths run against the fake GLM in the same run. Run: npx tsx bench/intake.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { prepareImage } from "../src/media/image.js";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { connect } from "../test/helpers/mcp.js";
import { photoJpeg, screenshotPng } from "../test/helpers/media.js";
import { isMain, median, ms, ratio, table } from "./lib/common.js";

const RUNS = 7;
const GLM_MAX_BYTES = 5 * 1024 * 1024;
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
/** A typical uplink, to put the loopback times in context (derived, not measured). */
const UPLINK_BITS_PER_S = 20e6;
const uploadMs = (bytes: number) => (bytes * 8 * 1000) / UPLINK_BITS_PER_S;

interface Case {
  name: string;
  bytes: Buffer;
  width: number;
  height: number;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "glm-bench-intake-"));
  const fake = await startFakeGlm();
  const session = await connect({
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
    GLM_MCP_OUTPUT_DIR: dir,
  });
  try {
    const cases: Case[] = [
      {
        name: "12 MP photo (4000×3000 jpeg q92)",
        bytes: await photoJpeg(4000, 3000, 92),
        width: 4000,
        height: 3000,
      },
      {
        name: "4K screenshot (3840×2160 png)",
        bytes: await screenshotPng(3840, 2160, 80),
        width: 3840,
        height: 2160,
      },
    ];
    const rows: (string | number)[][] = [];
    const timing: (string | number)[][] = [];
    for (const c of cases) {
      const file = path.join(dir, c.name.includes("photo") ? "photo.jpg" : "screen.png");
      writeFileSync(file, c.bytes);

      // Intake alone (decode, orient, resize, encode), median of RUNS.
      const intakeMs: number[] = [];
      let prepared = await prepareImage(c.bytes);
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        prepared = await prepareImage(c.bytes);
        intakeMs.push(performance.now() - t);
      }

      // Whole tool call (read + intake + upload + streamed answer) vs the original sent as-is.
      const toolMs: number[] = [];
      const asIsMs: number[] = [];
      let toolBody = 0;
      let asIsBody = 0;
      for (let i = 0; i < RUNS; i++) {
        fake.reset();
        let t = performance.now();
        const r = (await session.client.callTool({
          name: "vision_analyze",
          arguments: { image: file, prompt: "Describe.", thinking: false },
        })) as CallToolResult;
        toolMs.push(performance.now() - t);
        if (r.isError) throw new Error(`vision_analyze failed: ${JSON.stringify(r.content)}`);
        toolBody = fake.requests[0]!.rawBody.length;

        fake.reset();
        const body = {
          model: "glm-4.6v",
          messages: [
            {
              role: "user" as const,
              content: [
                { type: "image_url" as const, image_url: { url: c.bytes.toString("base64") } },
                { type: "text" as const, text: "Describe." },
              ],
            },
          ],
          thinking: { type: "disabled" as const },
        };
        t = performance.now();
        try {
          for await (const chunk of session.ctx.glm.chatStream(body, {})) void chunk;
        } catch {
          // An original over GLM's limits is rejected (1210): the time to upload it is still paid.
        }
        asIsMs.push(performance.now() - t);
        asIsBody = fake.requests[0]!.rawBody.length;
      }

      rows.push([
        c.name,
        `${kb(c.bytes.length)}${c.bytes.length > GLM_MAX_BYTES ? " (over GLM's 5 MB: rejected)" : ""}`,
        `${prepared.sent.format} ${prepared.sent.width}×${prepared.sent.height}, ${kb(prepared.sent.bytes)}`,
        kb(asIsBody),
        kb(toolBody),
        ratio(asIsBody, toolBody),
        ratio(c.width * c.height, prepared.sent.width * prepared.sent.height),
      ]);
      const withUplinkTool = median(toolMs) + uploadMs(toolBody);
      const withUplinkAsIs = median(asIsMs) + uploadMs(asIsBody);
      timing.push([
        c.name,
        ms(median(intakeMs), 0),
        ms(median(toolMs), 0),
        ms(median(asIsMs), 0),
        ratio(median(asIsMs), median(toolMs)),
        `${ms(withUplinkTool, 0)} vs ${ms(withUplinkAsIs, 0)} (${ratio(withUplinkAsIs, withUplinkTool)})`,
      ]);
    }
    console.log(
      `Median of ${RUNS} runs each, against the fake GLM on loopback (no network cost, so upload savings are understated).\n`,
    );
    table(
      [
        "input",
        "original",
        "sent by intake",
        "upstream body as-is",
        "upstream body with intake",
        "payload ratio (as-is / intake)",
        "pixel ratio",
      ],
      rows,
    );
    console.log("");
    table(
      [
        "input",
        "intake alone",
        "vision_analyze call",
        "original as-is call",
        "time ratio (as-is / intake)",
        "+ upload at 20 Mbit/s (derived): intake vs as-is",
      ],
      timing,
    );
    console.log(
      "\nPixels drive GLM's image token count, so the pixel ratio is the token saving; a downscaled screenshot PNG can be larger in bytes than the original because anti-aliased text compresses worse.",
    );
  } finally {
    await session.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await run();
