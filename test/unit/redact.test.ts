// Redaction (src/util/redact.ts): whole secrets and any 8+ character piece of one are masked, with
// the matcher built once per list of secrets; arrays of numbers pass through untouched.
import { describe, expect, it } from "vitest";
import { redact, redactDeep, redactToolResult } from "../../src/util/redact.js";

const KEY = "abcd1234efgh5678.ijklMNOPqrst";
const TOKEN = "tok-9f8e7d6c5b4a";

describe("redact", () => {
  it("masks the whole key and any 8+ character piece of it, wherever it sits", () => {
    expect(redact(`key=${KEY};`, [KEY])).toBe("key=***;");
    expect(redact(`cut: ${KEY.slice(0, 10)}…`, [KEY])).toBe("cut: ***…");
    expect(redact(`tail ${KEY.slice(-9)}`, [KEY])).toBe("tail ***");
    expect(redact(`mid ${KEY.slice(5, 15)} end`, [KEY])).toBe("mid *** end");
    expect(redact(`short ${KEY.slice(0, 7)} stays`, [KEY])).toBe(`short ${KEY.slice(0, 7)} stays`);
  });

  it("masks a hex key's pieces of digits and e's, leaving only what a written number could hold", () => {
    const hex = "e7ee3397265ae0c1d4b98f12e5e60a7b";
    // "e7ee3397" has two e's (never inside a number): a leak before, masked now.
    expect(redact(`prefix ${hex.slice(0, 10)}…`, [hex])).toBe("prefix ***…");
    // A piece that could sit inside a number stays unmatched, so vectors keep their digits.
    const numeric = "x1.2345678e-05y";
    const vector = "[1.2345678e-05,0.5]";
    expect(redact(vector, [numeric])).toBe(vector);
  });

  it("finds a piece in a long text (numbers around it) as well as in a short one", () => {
    const numbers = Array.from({ length: 400 }, (_, i) => (i * 0.37).toFixed(4)).join(",");
    expect(redact(numbers, [KEY])).toBe(numbers);
    expect(redact(`${numbers} ${KEY.slice(3, 14)} ${numbers}`, [KEY])).toBe(`${numbers} *** ${numbers}`);
  });

  it("keeps lists of secrets apart (the matcher is per list) and masks 6–7 character secrets whole", () => {
    const text = `${KEY} and ${TOKEN}`;
    expect(redact(text, [KEY])).toBe(`*** and ${TOKEN}`);
    expect(redact(text, [TOKEN])).toBe(`${KEY} and ***`);
    expect(redact(text, [KEY, TOKEN])).toBe("*** and ***");
    expect(redact("pw=sesame! ok", ["sesame!"])).toBe("pw=*** ok");
    expect(redact("日本語のテキスト " + KEY + " 終わり", [KEY])).toBe("日本語のテキスト *** 終わり");
    expect(redact("nothing here", [undefined, "abc"])).toBe("nothing here");
  });

  it("redactDeep masks strings and keys, and passes arrays of numbers through as they are", () => {
    const vector = [0.25, -1, 3e-7];
    const out = redactDeep({ [KEY]: [`x ${KEY}`, 1, true], vector }, [KEY]);
    expect(out).toEqual({ "***": ["x ***", 1, true], vector });
    expect(out.vector).toBe(vector);
  });

  it("redactToolResult leaves image data alone and masks text and structured content", () => {
    const result = redactToolResult(
      {
        content: [
          { type: "text", text: `answer ${KEY}` },
          { type: "image", data: KEY, mimeType: "image/png" },
        ],
        structuredContent: { answer: `answer ${KEY}` },
      },
      [KEY],
    );
    expect(result.content).toEqual([
      { type: "text", text: "answer ***" },
      { type: "image", data: KEY, mimeType: "image/png" },
    ]);
    expect(result.structuredContent).toEqual({ answer: "answer ***" });
  });
});
