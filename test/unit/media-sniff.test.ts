// Magic-number sniffing: every format the intake knows, from real bytes (sharp) or real headers.
import { describe, expect, it } from "vitest";
import { sniffMediaType } from "../../src/media/sniff.js";
import { bmp24, matroskaBytes, mp4Bytes, solid, zipWithEntry } from "../helpers/media.js";

const sniff = (b: Uint8Array) => sniffMediaType(b);

describe("sniffMediaType", () => {
  it("recognises images encoded by sharp", async () => {
    for (const [fmt, mime] of [
      ["png", "image/png"],
      ["jpeg", "image/jpeg"],
      ["webp", "image/webp"],
      ["gif", "image/gif"],
      ["tiff", "image/tiff"],
      ["avif", "image/avif"],
    ] as const) {
      const t = sniff(await solid(8, 8, "#ff0000", fmt));
      expect(t, fmt).toMatchObject({ mime, category: "image" });
    }
  });

  it("recognises BMP and SVG (with and without XML prolog)", () => {
    expect(sniff(bmp24(2, 2, () => [1, 2, 3]))).toMatchObject({ ext: "bmp", category: "image" });
    expect(
      sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>')),
    ).toMatchObject({ ext: "svg", category: "image" });
    expect(
      sniff(Buffer.from('\uFEFF<?xml version="1.0"?>\n<!-- made by hand -->\n<svg viewBox="0 0 1 1"/>')),
    ).toMatchObject({ ext: "svg" });
  });

  it("recognises videos: mp4, mov, mkv, webm", () => {
    expect(sniff(mp4Bytes("isom"))).toMatchObject({ ext: "mp4", category: "video" });
    expect(sniff(mp4Bytes("qt  "))).toMatchObject({ ext: "mov", category: "video" });
    expect(sniff(matroskaBytes("matroska"))).toMatchObject({ ext: "mkv", category: "video" });
    expect(sniff(matroskaBytes("webm"))).toMatchObject({ ext: "webm", category: "video" });
    const moovFirst = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from("moov"), Buffer.alloc(8)]);
    expect(sniff(moovFirst)).toMatchObject({ ext: "mov" });
  });

  it("tells avif (ftyp avif) apart from mp4", () => {
    expect(sniff(mp4Bytes("avif"))).toMatchObject({ ext: "avif", category: "image" });
  });

  it("recognises audio: wav, mp3 (ID3 and bare frame), ogg, flac, m4a", () => {
    const wav = Buffer.concat([
      Buffer.from("RIFF"),
      Buffer.alloc(4),
      Buffer.from("WAVEfmt "),
      Buffer.alloc(20),
    ]);
    expect(sniff(wav)).toMatchObject({ ext: "wav", category: "audio" });
    expect(
      sniff(Buffer.concat([Buffer.from("ID3\x04\x00\x00\x00\x00\x00\x00", "latin1"), Buffer.alloc(16)])),
    ).toMatchObject({ ext: "mp3", category: "audio" });
    expect(sniff(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]))).toMatchObject({ ext: "mp3" });
    expect(sniff(Buffer.concat([Buffer.from("OggS"), Buffer.alloc(24)]))).toMatchObject({
      ext: "ogg",
      category: "audio",
    });
    expect(sniff(Buffer.concat([Buffer.from("fLaC"), Buffer.alloc(34)]))).toMatchObject({
      ext: "flac",
      category: "audio",
    });
    expect(sniff(mp4Bytes("M4A "))).toMatchObject({ ext: "m4a", category: "audio" });
  });

  it("recognises documents: pdf and the OOXML zips", () => {
    expect(sniff(Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj"))).toMatchObject({
      ext: "pdf",
      category: "document",
    });
    expect(sniff(zipWithEntry("word/document.xml"))).toMatchObject({ ext: "docx", category: "document" });
    expect(sniff(zipWithEntry("xl/workbook.xml"))).toMatchObject({ ext: "xlsx", category: "document" });
    expect(sniff(zipWithEntry("ppt/presentation.xml"))).toMatchObject({ ext: "pptx", category: "document" });
    expect(sniff(zipWithEntry("src/main.rs"))).toMatchObject({ ext: "zip", category: "unknown" });
  });

  it("classifies UTF-8 text (including CJK and emoji) as text and binary as unknown", () => {
    expect(sniff(Buffer.from("hello\nworld\n"))).toMatchObject({ mime: "text/plain", category: "text" });
    expect(sniff(Buffer.from('{"a": "中文 ✓ 🎉"}\n'))).toMatchObject({ category: "text" });
    expect(
      sniff(Buffer.from("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n")),
    ).toMatchObject({ category: "text" });
    expect(sniff(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe]))).toMatchObject({ category: "unknown" });
    expect(sniff(Buffer.from([0x61, 0xc3, 0x28, 0x61]))).toMatchObject({ category: "unknown" }); // invalid UTF-8
    expect(sniff(new Uint8Array())).toMatchObject({ category: "unknown" });
  });
});
