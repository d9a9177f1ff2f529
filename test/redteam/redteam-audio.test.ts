// Red team, class 7 of issue #14: audio whose header lies about its bytes is refused as damaged
// with one sentence, before anything reaches GLM (voice_reply and realtime_chat, real server).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { toneWav } from "../helpers/audio.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

/** A WAV whose fmt/data fields are patched after building a valid one. */
function patchedWav(patch: (dv: DataView) => void, durationMs = 10): Buffer {
  const wav = Buffer.from(toneWav({ durationMs, sampleRate: 16000 }));
  patch(new DataView(wav.buffer, wav.byteOffset, wav.byteLength));
  return wav;
}
// Standard 44-byte header: sample rate at 24, block align at 32, bits at 34, data size at 40.
const CASES: { name: string; attack: Buffer; tool: "voice_reply" | "realtime_chat"; expected: RegExp }[] = [
  {
    name: "WAV claiming 4,000,000,000 Hz",
    attack: patchedWav((dv) => dv.setUint32(24, 4_000_000_000, true)),
    tool: "voice_reply",
    expected: /damaged WAV file: its header claims a sample rate of 4000000000 Hz/,
  },
  {
    name: "WAV claiming 4,000,000,000 Hz (realtime resampling)",
    attack: patchedWav((dv) => dv.setUint32(24, 4_000_000_000, true)),
    tool: "realtime_chat",
    expected: /damaged WAV file: its header claims a sample rate/,
  },
  {
    name: "data size 0x7ffffff0 over 200 bytes",
    attack: patchedWav((dv) => dv.setUint32(40, 0x7ffffff0, true), 5).subarray(0, 200),
    tool: "voice_reply",
    expected: /damaged WAV file: its header declares 2147483632 bytes of audio but only \d+ are there/,
  },
  {
    name: "1 Hz sample rate",
    attack: patchedWav((dv) => dv.setUint32(24, 1, true)),
    tool: "voice_reply",
    expected: /damaged WAV file: its header claims a sample rate of 1 Hz/,
  },
  {
    name: "block align disagreeing with channels × bits",
    attack: patchedWav((dv) => dv.setUint16(32, 7, true)),
    tool: "voice_reply",
    expected: /damaged WAV file: its header's block size \(7 bytes\)/,
  },
  {
    name: "8-byte MP3 (a frame header and nothing else)",
    attack: Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]),
    tool: "voice_reply",
    expected: /no readable MPEG audio frames|is not an audio/,
  },
];

let fake: FakeGlm;
let ss: TestSession;
let held = 0;
beforeAll(async () => {
  fake = await startFakeGlm();
  ss = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MAX_RETRIES: "0" });
});
afterAll(async () => {
  await ss.close();
  await fake.close();
  console.log(`[redteam] redteam-audio.test.ts: ${CASES.length} cases, ${held} held`);
});
beforeEach(() => fake.reset());

describe("red team: degenerate audio", () => {
  it("control: a sound WAV is accepted", async () => {
    const r = (await ss.client.callTool({
      name: "voice_reply",
      arguments: { audio: toneWav({ durationMs: 300, sampleRate: 16000 }).toString("base64") },
    })) as CallToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
  });

  it.each(CASES)("$name is refused as damaged", async ({ attack, tool, expected }) => {
    const r = (await ss.client.callTool({
      name: tool,
      arguments: { audio: `data:application/octet-stream;base64,${attack.toString("base64")}` },
    })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(expected);
    expect(textOf(r)).not.toContain("\n");
    expect(fake.requests).toHaveLength(0);
    held++;
  });
});
