// Voice input costs: (1) converting a recording to the 16 kHz mono 16-bit GLM-Realtime takes,
// for several source formats; (2) wall time of one realtime turn against the fake realtime server
// with 10 s of audio, at the default pacing (40 appends/s of 100 ms frames) side by side with
// real-time pacing (10/s, the platform's advice for live microphones) and with 200 ms frames.
// Run: npx tsx bench/voice.ts
import { pathToFileURL } from "node:url";
import { decodeToMono, resample, toPcm16 } from "../src/media/audio/pcm.js";
import { parseWav } from "../src/media/audio/wav.js";
import { REALTIME_INPUT_FORMAT, realtimeTurn } from "../src/glm/realtime.js";
import { FAKE_API_KEY } from "../test/fake-glm/index.js";
import { startFakeRealtime } from "../test/fake-glm/realtime.js";
import { toneWav } from "../test/helpers/audio.js";

const CONVERT_SEC = 30;
const TURN_SEC = 10;

function convert(wav: Buffer): Buffer {
  const info = parseWav(wav)!;
  return toPcm16(resample(decodeToMono(wav, info), info.sampleRate, REALTIME_INPUT_FORMAT.sampleRate));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function conversion(): Promise<void> {
  const sources = [
    {
      name: "16 kHz mono 16-bit (no resampling)",
      wav: toneWav({ durationMs: CONVERT_SEC * 1000, sampleRate: 16000 }),
    },
    {
      name: "44.1 kHz stereo 16-bit",
      wav: toneWav({ durationMs: CONVERT_SEC * 1000, sampleRate: 44100, channels: 2 }),
    },
    {
      name: "48 kHz stereo 32-bit float",
      wav: toneWav({ durationMs: CONVERT_SEC * 1000, sampleRate: 48000, channels: 2, float: true }),
    },
  ];
  for (const s of sources) convert(s.wav); // warm-up
  console.log(`Input conversion to 16 kHz mono 16-bit, ${CONVERT_SEC} s recordings (median of 5):`);
  let base = 0;
  for (const s of sources) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      convert(s.wav);
      times.push(performance.now() - t0);
    }
    const ms = median(times);
    base ||= ms;
    console.log(
      `  ${s.name.padEnd(38)} ${(s.wav.length / 1024 / 1024).toFixed(1).padStart(5)} MB  ${ms.toFixed(1).padStart(7)} ms  ` +
        `${Math.round((CONVERT_SEC * 1000) / ms)
          .toString()
          .padStart(5)}x real time  ${(ms / base).toFixed(1)}x the 16 kHz mono case`,
    );
  }
}

async function turns(): Promise<void> {
  const fake = await startFakeRealtime({ deltaDelayMs: 0 });
  const pcm = convert(toneWav({ durationMs: TURN_SEC * 1000, sampleRate: 16000 }));
  const arms = [
    { name: "default: 100 ms frames at 40/s", frameMs: 100, appendsPerSec: 40 },
    { name: "real-time: 100 ms frames at 10/s", frameMs: 100, appendsPerSec: 10 },
    { name: "200 ms frames at 40/s", frameMs: 200, appendsPerSec: 40 },
  ];
  console.log(
    `\nOne realtime turn with ${TURN_SEC} s of audio against the fake (reply streamed without delay):`,
  );
  let base = 0;
  try {
    for (const arm of arms) {
      const t0 = performance.now();
      const r = await realtimeTurn(
        {
          url: fake.url,
          apiKey: FAKE_API_KEY,
          silenceMs: 30_000,
          frameMs: arm.frameMs,
          appendsPerSec: arm.appendsPerSec,
          transcriptGraceMs: 0,
        },
        { model: "glm-realtime-flash", audioPcm: pcm },
      );
      const ms = performance.now() - t0;
      base ||= ms;
      const conn = fake.connections.at(-1)!;
      console.log(
        `  ${arm.name.padEnd(34)} ${String(r.framesSent).padStart(4)} appends  ${(ms / 1000).toFixed(2).padStart(6)} s  ` +
          `peak ${conn.peakAppendsPerSec}/s, dropped ${conn.droppedAppends}  ${(ms / base).toFixed(2)}x the default`,
      );
    }
  } finally {
    await fake.close();
  }
}

export async function run(): Promise<void> {
  await conversion();
  await turns();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
