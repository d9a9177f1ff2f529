// Wire audit of image_generate and audio_transcribe: a spread of valid calls (every model, sizes,
// qualities, watermark; WAV and MP3 with prompt and hotwords), then every request that reached the
// fake's two routes is validated again against the vendored spec. Expected: 0 violations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  FAKE_API_KEY,
  checkAgainstSpec,
  makeToneWav,
  startFakeGlm,
  type FakeGlm,
} from "../fake-glm/index.js";
import { syntheticMp3 } from "../helpers/audio.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MAX_RETRIES: "0" });
});
afterAll(async () => {
  await s.close();
  await fake.close();
});

const wav = `data:audio/wav;base64,${makeToneWav({ durationMs: 700, sampleRate: 16000 }).toString("base64")}`;
const mp3 = syntheticMp3(2).toString("base64");

const CALLS: [string, Record<string, unknown>][] = [
  ["image_generate", { prompt: "a lighthouse" }],
  ["image_generate", { prompt: "海边的灯塔", model: "glm-image", size: "1728x960", quality: "hd" }],
  ["image_generate", { prompt: "icon", model: "cogview-4", size: "768x1344", quality: "standard" }],
  ["image_generate", { prompt: "icon", model: "cogview-4-250304", size: "1440x720", watermark: true }],
  ["image_generate", { prompt: "icon", model: "cogview-3-flash", size: "512x512", watermark: false }],
  ["audio_transcribe", { audio: wav }],
  ["audio_transcribe", { audio: mp3, prompt: "earlier words", hotwords: ["GLM", "智谱"] }],
  [
    "audio_transcribe",
    { audio: wav, model: "GLM-ASR-2512", hotwords: Array.from({ length: 100 }, (_, i) => `w${i}`) },
  ],
];

describe("wire audit: image_generate and audio_transcribe against the vendored OpenAPI spec", () => {
  it("every recorded request body validates: 0 violations", async () => {
    for (const [name, args] of CALLS) {
      const r = (await s.client.callTool({ name, arguments: args })) as CallToolResult;
      expect(r.isError, `${name} ${JSON.stringify(args).slice(0, 80)}: ${textOf(r)}`).toBeFalsy();
    }
    const audited = fake.requests.filter((q) =>
      /\/(images\/generations|audio\/transcriptions)$/.test(q.path),
    );
    expect(audited).toHaveLength(CALLS.length);
    const violations = audited.flatMap((q) => {
      try {
        checkAgainstSpec(q.path.endsWith("/images/generations") ? "images" : "transcriptions", q.body);
        return [];
      } catch (e) {
        return [`${q.path}: ${(e as Error).message}`];
      }
    });
    expect(violations).toEqual([]);
  });
});
