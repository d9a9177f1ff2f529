// Pure audio helpers: WAV headers, PCM conversion, MP3 duration, joined base64.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeJoinedBase64 } from "../../src/media/audio/base64.js";
import { mp3DurationSec } from "../../src/media/audio/mp3.js";
import { decodeToMono, resample, toPcm16, UnsupportedAudioError } from "../../src/media/audio/pcm.js";
import { parseWav, toPlayableWav } from "../../src/media/audio/wav.js";
import { syntheticMp3, toneWav } from "../helpers/audio.js";
import { wavFromPcm } from "../../src/util/wav-encode.js";
import { buildWavHeader } from "../../src/util/wav-encode.js";

describe("WAV headers", () => {
  it("round-trips any PCM through wavFromPcm/parseWav with sizes that match the data", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.constantFrom(8000, 16000, 24000, 44100, 48000),
        fc.constantFrom(1, 2),
        fc.constantFrom(8, 16, 24, 32),
        (pcm, sampleRate, channels, bitsPerSample) => {
          const wav = wavFromPcm(pcm, { sampleRate, channels, bitsPerSample });
          const block = (channels * bitsPerSample) / 8;
          const usable = pcm.length - (pcm.length % block);
          expect(wav.length).toBe(44 + usable);
          if (usable === 0) return;
          const info = parseWav(wav)!;
          expect(info).toMatchObject({
            sampleRate,
            channels,
            bitsPerSample,
            dataBytes: usable,
            dataOffset: 44,
            encoding: "pcm",
            sizesRepaired: false,
          });
          expect(info.durationSec).toBeCloseTo(usable / (sampleRate * block), 9);
        },
      ),
    );
  });

  it("skips chunks before data (LIST, odd-sized) and reads WAVE_FORMAT_EXTENSIBLE", () => {
    const pcm = Buffer.alloc(400, 1);
    const fmt = Buffer.alloc(8 + 40);
    fmt.write("fmt ", 0, "ascii");
    fmt.writeUInt32LE(40, 4);
    fmt.writeUInt16LE(0xfffe, 8);
    fmt.writeUInt16LE(2, 10);
    fmt.writeUInt32LE(48000, 12);
    fmt.writeUInt32LE(48000 * 4, 16);
    fmt.writeUInt16LE(4, 20);
    fmt.writeUInt16LE(16, 22);
    fmt.writeUInt16LE(22, 24);
    fmt.writeUInt16LE(1, 32); // sub-format GUID starts with 0x0001 = PCM
    const list = Buffer.concat([
      Buffer.from("LIST"),
      Buffer.from([3, 0, 0, 0]),
      Buffer.from("abc"),
      Buffer.from([0]),
    ]);
    const data = Buffer.concat([
      Buffer.from("data"),
      Buffer.from([pcm.length & 0xff, pcm.length >> 8, 0, 0]),
      pcm,
    ]);
    const body = Buffer.concat([Buffer.from("WAVE"), fmt, list, data]);
    const riff = Buffer.concat([
      Buffer.from("RIFF"),
      Buffer.from([body.length & 0xff, body.length >> 8, 0, 0]),
      body,
    ]);
    expect(parseWav(riff)).toMatchObject({
      audioFormat: 0xfffe,
      encoding: "pcm",
      channels: 2,
      sampleRate: 48000,
      dataBytes: 400,
      sizesRepaired: false,
    });
  });

  it("rejects non-WAV and headerless bytes", () => {
    expect(parseWav(Buffer.from("RIFF\0\0\0\0WEBPVP8 "))).toBeUndefined();
    expect(parseWav(Buffer.from("RIFF\0\0\0\0WAVE"))).toBeUndefined();
    expect(parseWav(Buffer.alloc(100))).toBeUndefined();
  });

  it("toPlayableWav keeps a good WAV, repairs unknown sizes, wraps raw PCM", () => {
    const good = toneWav({ durationMs: 50 });
    expect(toPlayableWav(good, { sampleRate: 44100, channels: 1, bitsPerSample: 16 })).toMatchObject({
      source: "wav",
    });
    expect(
      toPlayableWav(good, { sampleRate: 44100, channels: 1, bitsPerSample: 16 }).bytes.equals(good),
    ).toBe(true);

    const streamed = Buffer.concat([good, Buffer.from([7])]); // plus a stray half sample
    streamed.writeUInt32LE(0, 40);
    const fixed = toPlayableWav(streamed, { sampleRate: 44100, channels: 1, bitsPerSample: 16 });
    expect(fixed.bytes.readUInt32LE(40)).toBe(good.length - 44);
    expect(fixed.bytes.readUInt32LE(4)).toBe(fixed.bytes.length - 8);
    expect(fixed.info.sizesRepaired).toBe(false);

    const raw = toPlayableWav(Buffer.alloc(4411), { sampleRate: 44100, channels: 1, bitsPerSample: 16 });
    expect(raw.source).toBe("pcm");
    expect(
      raw.bytes
        .subarray(0, 44)
        .equals(buildWavHeader({ sampleRate: 44100, channels: 1, bitsPerSample: 16 }, 4410)),
    ).toBe(true);
    expect(raw.info.durationSec).toBeCloseTo(0.05, 6);
  });
});

describe("PCM conversion", () => {
  for (const variant of [
    { bits: 8 as const },
    { bits: 16 as const },
    { bits: 24 as const },
    { bits: 32 as const },
    { float: true },
  ]) {
    it(`decodes ${variant.float ? "float" : `${variant.bits}-bit`} stereo to the same mono tone`, () => {
      const wav = toneWav({ durationMs: 10, sampleRate: 8000, channels: 2, ...variant });
      const mono = decodeToMono(wav, parseWav(wav)!);
      expect(mono.length).toBe(80);
      const expected = Array.from({ length: 80 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 8000));
      const tolerance = variant.bits === 8 ? 0.01 : 1e-4;
      mono.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(tolerance));
    });
  }

  it("refuses compressed WAV encodings", () => {
    const wav = toneWav({ durationMs: 10 });
    wav.writeUInt16LE(2, 20); // MS ADPCM
    expect(() => decodeToMono(wav, parseWav(wav)!)).toThrow(UnsupportedAudioError);
  });

  it("resamples to the right length and keeps the signal", () => {
    const src = new Float32Array(44100).map((_, i) => Math.sin((2 * Math.PI * 100 * i) / 44100));
    const out = resample(src, 44100, 16000);
    expect(out.length).toBe(16000);
    expect(out[40]).toBeCloseTo(Math.sin((2 * Math.PI * 100 * 40) / 16000), 2);
    expect(resample(src, 16000, 16000)).toBe(src);
  });

  it("toPcm16 clips and scales", () => {
    const pcm = toPcm16(new Float32Array([0, 1, -1, 2, -2, 0.5]));
    expect([0, 1, 2, 3, 4, 5].map((i) => pcm.readInt16LE(i * 2))).toEqual([
      0, 32767, -32768, 32767, -32768, 16384,
    ]);
  });
});

describe("MP3 duration", () => {
  it("counts frames of a CBR file behind an ID3 tag", () => {
    expect(mp3DurationSec(syntheticMp3(3))).toBeCloseTo(3, 1);
  });

  it("handles VBR (frames of different bitrates) and MPEG-2", () => {
    const frame = (b2: number, kbps: number, rate: number, perFrame: number) => {
      const len = Math.floor(((perFrame / 8) * kbps * 1000) / rate);
      const f = Buffer.alloc(len);
      f.set([0xff, perFrame === 1152 ? 0xfb : 0xf3, b2, 0x64]);
      return f;
    };
    const vbr = Buffer.concat([
      ...Array(20).fill(frame(0x90, 128, 44100, 1152)),
      ...Array(20).fill(frame(0x50, 64, 44100, 1152)),
    ]);
    expect(mp3DurationSec(vbr)).toBeCloseTo((40 * 1152) / 44100, 6);
    const mpeg2 = Buffer.concat(Array(50).fill(frame(0x80, 64, 22050, 576)));
    expect(mp3DurationSec(mpeg2)).toBeCloseTo((50 * 576) / 22050, 6);
  });

  it("is undefined without MPEG frames", () => {
    expect(mp3DurationSec(Buffer.from("ID3 but nothing else here"))).toBeUndefined();
    expect(mp3DurationSec(Buffer.alloc(1000))).toBeUndefined();
  });
});

describe("decodeJoinedBase64", () => {
  it("decodes independently padded pieces joined together", () => {
    const parts = [Buffer.from("a"), Buffer.from("bc"), Buffer.from("def"), Buffer.from("ghij")];
    const joined = parts.map((p) => p.toString("base64")).join("");
    expect(decodeJoinedBase64(joined).toString()).toBe("abcdefghij");
  });

  it("equals a plain decode for one string split anywhere", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeJoinedBase64(Buffer.from(bytes).toString("base64")).equals(Buffer.from(bytes))).toBe(
          true,
        );
      }),
    );
  });
});
