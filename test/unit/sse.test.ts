import { describe, expect, it } from "vitest";
import { sseData } from "../../src/glm/sse.js";

async function* bytes(...parts: string[]): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  for (const p of parts) yield enc.encode(p);
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("sseData", () => {
  it("yields each data payload, across arbitrary chunk boundaries", async () => {
    const stream = 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < stream.length; cut += 7) {
      expect(await collect(sseData(bytes(stream.slice(0, cut), stream.slice(cut))))).toEqual([
        '{"a":1}',
        '{"b":2}',
        "[DONE]",
      ]);
    }
  });

  it("handles CRLF, comments and multi-byte characters split across chunks", async () => {
    const enc = new TextEncoder().encode('data: {"t":"思考"}\r\n\r\n: keepalive\r\n\r\n');
    async function* split() {
      yield enc.slice(0, 14); // cuts inside a multi-byte character
      yield enc.slice(14);
    }
    expect(await collect(sseData(split()))).toEqual(['{"t":"思考"}']);
  });

  it("drops an unterminated last event (per the SSE spec) so a cut stream is detected", async () => {
    expect(await collect(sseData(bytes('data: {"a":1}\n\ndata: {"b":2}\n')))).toEqual(['{"a":1}']);
    expect(await collect(sseData(bytes('data: {"a":1}\n\ndata: {"b"')))).toEqual(['{"a":1}']);
  });
});
