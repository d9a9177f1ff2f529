// LineCap: complete lines pass through unchanged however stdin chunks them; a line over the cap is
// dropped alone and reported with its top-level id.
import { describe, expect, it } from "vitest";
import { LineCap, topLevelId, type RequestId } from "../../src/transports/line-cap.js";

async function run(
  chunks: string[],
  cap: number,
): Promise<{ out: string; refused: { id: RequestId | undefined; bytes: number }[] }> {
  const refused: { id: RequestId | undefined; bytes: number }[] = [];
  const lc = new LineCap(cap, (id, bytes) => refused.push({ id, bytes }));
  let out = "";
  lc.on("data", (d: Buffer) => (out += d.toString("utf8")));
  for (const c of chunks) lc.write(Buffer.from(c));
  lc.end();
  await new Promise((r) => lc.on("end", r));
  return { out, refused };
}

describe("LineCap", () => {
  it("passes lines through across arbitrary chunk boundaries", async () => {
    const text = '{"a":1}\n{"b":2}\n{"c":3}\n';
    for (let split = 1; split < text.length; split++) {
      const { out, refused } = await run([text.slice(0, split), text.slice(split)], 100);
      expect(out).toBe(text);
      expect(refused).toEqual([]);
    }
  });

  it("drops only the oversized line, reports its id and size, keeps the lines around it", async () => {
    const big = `{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"x":"${"z".repeat(500)}"}}`;
    const { out, refused } = await run(
      ['{"a":1}\n', big.slice(0, 200), big.slice(200), '\n{"b":2}\npartial'],
      100,
    );
    expect(out).toBe('{"a":1}\n{"b":2}\n');
    expect(refused).toEqual([{ id: 42, bytes: big.length }]);
  });
});

describe("topLevelId", () => {
  it("finds the top-level id only", () => {
    expect(topLevelId('{"jsonrpc":"2.0","id":"abc","method":"x"}')).toBe("abc");
    expect(topLevelId('{"method":"x","params":{"id":5,"s":"\\"id\\":6"},"id":7}')).toBe(7);
    expect(topLevelId('{"method":"id","params":{"id":5}')).toBeUndefined();
    expect(topLevelId('{"id":null}')).toBeUndefined();
    expect(topLevelId("garbage")).toBeUndefined();
  });
});
