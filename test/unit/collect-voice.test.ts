// Voice audio folded from a stream: each delta.audio.data piece may be a WAV file of its own, or a
// cut of one file whose header spans pieces; the saved WAV lasts as long as everything GLM sent.
import { describe, expect, it } from "vitest";
import { collectChatStream } from "../../src/glm/collect.js";
import type { ChatChunk } from "../../src/glm/types.js";
import { decodeJoinedBase64 } from "../../src/media/audio/base64.js";
import { wavFromVoiceStream } from "../../src/media/audio/streamed-wav.js";
import { parseWav } from "../../src/media/audio/wav.js";
import { wavFromPcm } from "../../src/util/wav-encode.js";

const FORMAT = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 };
const RAW = { sampleRate: 44_100, channels: 1, bitsPerSample: 16 };
const second = () => wavFromPcm(Buffer.alloc(32_000, 1), FORMAT);

async function* stream(pieces: string[]): AsyncIterable<ChatChunk> {
  for (const data of pieces) yield { choices: [{ index: 0, delta: { audio: { id: "a1", data } } }] };
  yield { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] };
}

async function savedSeconds(pieces: string[]): Promise<number> {
  const answer = await collectChatStream(stream(pieces));
  const wav = wavFromVoiceStream(decodeJoinedBase64(answer.audio!.data), RAW);
  expect(parseWav(wav.bytes)!.sampleRate).toBe(16_000);
  return wav.info.durationSec;
}

describe("voice audio across chunks", () => {
  it("three chunks that each carry a header make a 3 s file", async () => {
    expect(await savedSeconds([second(), second(), second()].map((b) => b.toString("base64")))).toBe(3);
  });

  it("one header split across chunks (and base64 cut mid-quantum) still gives every second", async () => {
    const all = Buffer.concat([second(), second()]).toString("base64");
    // Cuts at 10 and 30 characters fall inside the first 44-byte header and mid base64 quantum.
    expect(await savedSeconds([all.slice(0, 10), all.slice(10, 30), all.slice(30)])).toBe(2);
  });

  it("raw PCM without any header is wrapped at the voice model's rate", async () => {
    const pcm = Buffer.alloc(88_200, 1).toString("base64");
    const answer = await collectChatStream(stream([pcm]));
    const wav = wavFromVoiceStream(decodeJoinedBase64(answer.audio!.data), RAW);
    expect(wav.info.durationSec).toBe(1);
    expect(wav.info.sampleRate).toBe(44_100);
  });
});

describe("content as text parts", () => {
  it("folds [{type:'text',text}] content into the answer text", async () => {
    async function* parts(): AsyncIterable<ChatChunk> {
      yield { choices: [{ index: 0, delta: { content: [{ type: "text", text: "Hello " }] } }] };
      yield { choices: [{ index: 0, delta: { content: [{ type: "text", text: "world" }] } }] };
      yield { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] };
    }
    expect((await collectChatStream(parts())).content).toBe("Hello world");
  });
});
