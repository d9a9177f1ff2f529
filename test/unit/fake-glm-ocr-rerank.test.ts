// The fake's POST /layout_parsing and POST /rerank refuse what the vendored spec refuses (1213 for a
// missing field, 1214 for an illegal one, 1211 for another model or the coding endpoint) and answer
// the spec's response shapes deterministically; and pdfHasTextLayer tells scans from text PDFs.
import { deflateSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pdfHasTextLayer } from "../../src/media/pdf-text-layer.js";
import {
  FAKE_API_KEY,
  jpegWithComment,
  makePdf,
  makeScannedPdf,
  pngWithText,
  startFakeGlm,
  type FakeGlm,
} from "../fake-glm/index.js";
import { solid } from "../helpers/media.js";

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

async function post(path: string, body: unknown, base = fake.baseUrl) {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { authorization: `Bearer ${FAKE_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}
const codingBase = () => fake.url + "/api/coding/paas/v4";
const b64 = (b: Buffer, mime: string) => `data:${mime};base64,${b.toString("base64")}`;

describe("fake POST /layout_parsing", () => {
  it("answers the spec's shape with Markdown, layout details and page count from the document", async () => {
    const png = pngWithText(await solid(4, 4, "#fff", "png"), "# Title\n| a | b |\n|---|---|\n| 1 | 2 |");
    const r = await post("/layout_parsing", { model: "glm-ocr", file: b64(png, "image/png") });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      id: expect.any(String),
      created: expect.any(Number),
      model: "GLM-OCR",
      md_results: "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |",
      data_info: { num_pages: 1 },
      usage: { total_tokens: expect.any(Number) },
    });
    expect(r.json.layout_details[0].map((e: any) => e.label)).toEqual(["text", "table"]);
    const bare = await post("/layout_parsing", { model: "glm-ocr", file: png.toString("base64") });
    expect(bare.json.md_results).toBe(r.json.md_results);
    const pdf = makeScannedPdf([jpegWithComment(await solid(4, 4, "#fff", "jpeg"), "p1")]);
    const scanned = await post("/layout_parsing", { model: "glm-ocr", file: b64(pdf, "application/pdf") });
    expect(scanned.json.md_results).toBe("p1");
  });

  it("refuses what the spec refuses", async () => {
    const png = (await solid(4, 4, "#fff", "png")).toString("base64");
    const cases: [unknown, number, string][] = [
      [{ file: png }, 400, "1213"],
      [{ model: "glm-ocr" }, 400, "1213"],
      [{ model: "glm-4.6v", file: png }, 400, "1211"],
      [{ model: "glm-ocr", file: 42 }, 400, "1214"],
      [{ model: "glm-ocr", file: png, start_page_id: 0 }, 400, "1214"],
      [{ model: "glm-ocr", file: png, request_id: "abc" }, 400, "1214"],
      [{ model: "glm-ocr", file: png, extra_field: true, return_crop_images: "yes" }, 400, "1214"],
      [{ model: "glm-ocr", file: "not base64!" }, 400, "1214"],
      [{ model: "glm-ocr", file: Buffer.from("GIF89a....").toString("base64") }, 400, "1214"],
      [{ model: "glm-ocr", file: png, start_page_id: 3, end_page_id: 2 }, 400, "1214"],
    ];
    for (const [body, status, code] of cases) {
      const r = await post("/layout_parsing", body);
      expect([JSON.stringify(body).slice(0, 60), r.status, r.json.error?.code]).toEqual([
        JSON.stringify(body).slice(0, 60),
        status,
        code,
      ]);
    }
    const coding = await post("/layout_parsing", { model: "glm-ocr", file: png }, codingBase());
    expect(coding.json.error.code).toBe("1211");
  });

  it("refuses a PDF over 100 pages and an image over 10 MB", async () => {
    const pages = Array.from({ length: 101 }, () => "<< /Type /Page >>").join("\n");
    const many = Buffer.from(`%PDF-1.4\n${pages}\n%%EOF`);
    const r = await post("/layout_parsing", { model: "glm-ocr", file: b64(many, "application/pdf") });
    expect(r.json.error.code).toBe("1214");
    expect(r.json.error.message).toContain("100 页");
    const big = Buffer.concat([await solid(4, 4, "#fff", "png"), Buffer.alloc(10 * 1024 * 1024)]);
    const img = await post("/layout_parsing", { model: "glm-ocr", file: b64(big, "image/png") });
    expect(img.json.error.code).toBe("1214");
  });
});

describe("fake POST /rerank", () => {
  it("scores by word overlap, best first, top_n 0 = all, document always returned", async () => {
    const documents = ["kubernetes pods", "bake bread at home", "bread"];
    const r = await post("/rerank", { model: "rerank", query: "bake bread", documents });
    expect(r.status).toBe(200);
    expect(r.json.results.map((x: any) => x.index)).toEqual([1, 2, 0]);
    expect(r.json.results[0]).toMatchObject({
      document: "bake bread at home",
      relevance_score: expect.any(Number),
    });
    expect(r.json.results[0].relevance_score).toBeGreaterThan(r.json.results[1].relevance_score);
    expect(r.json.usage).toEqual({ prompt_tokens: expect.any(Number), total_tokens: expect.any(Number) });
    const top = await post("/rerank", { model: "rerank", query: "bake bread", documents, top_n: 1 });
    expect(top.json.results).toHaveLength(1);
  });

  it("refuses what the spec and the limits refuse", async () => {
    const cases: [unknown, string][] = [
      [{ query: "q", documents: ["a"] }, "1213"],
      [{ model: "rerank", documents: ["a"] }, "1213"],
      [{ model: "rerank", query: "q" }, "1213"],
      [{ model: "rerank-2", query: "q", documents: ["a"] }, "1211"],
      [{ model: "rerank", query: "q", documents: "a" }, "1214"],
      [{ model: "rerank", query: "q", documents: [1] }, "1214"],
      [{ model: "rerank", query: "q", documents: ["a"], top_n: 1.5 }, "1214"],
      [{ model: "rerank", query: "q", documents: [] }, "1214"],
      [{ model: "rerank", query: " ", documents: ["a"] }, "1214"],
      [{ model: "rerank", query: "q", documents: Array(129).fill("a") }, "1214"],
      [{ model: "rerank", query: "q", documents: ["a".repeat(4097)] }, "1214"],
      [{ model: "rerank", query: "q".repeat(4097), documents: ["a"] }, "1214"],
      [{ model: "rerank", query: "q", documents: ["a"], top_n: -1 }, "1214"],
    ];
    for (const [body, code] of cases) {
      const r = await post("/rerank", body);
      expect([JSON.stringify(body).slice(0, 60), r.status, r.json.error?.code]).toEqual([
        JSON.stringify(body).slice(0, 60),
        400,
        code,
      ]);
    }
    const coding = await post("/rerank", { model: "rerank", query: "q", documents: ["a"] }, codingBase());
    expect(coding.json.error.code).toBe("1211");
  });
});

describe("pdfHasTextLayer", () => {
  it("finds fonts in plain and compressed objects; a scan or an image-only PDF has none", async () => {
    expect(pdfHasTextLayer(makePdf(["hello"]))).toBe(true);
    expect(pdfHasTextLayer(makePdf(["hello"], { compress: true }))).toBe(true);
    const jpeg = await solid(4, 4, "#fff", "jpeg");
    expect(pdfHasTextLayer(makeScannedPdf([jpeg, jpeg]))).toBe(false);
    expect(pdfHasTextLayer(Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"))).toBe(false);
    // A font named only inside a compressed object stream (PDF 1.5+) still counts.
    const objstm = deflateSync(Buffer.from("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
    const pdf = Buffer.concat([
      Buffer.from(
        `%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /Length ${objstm.length} /Filter /FlateDecode >>\nstream\n`,
      ),
      objstm,
      Buffer.from("\nendstream\nendobj\n%%EOF\n"),
    ]);
    expect(pdf.includes("/Font")).toBe(false);
    expect(pdfHasTextLayer(pdf)).toBe(true);
  });
});
