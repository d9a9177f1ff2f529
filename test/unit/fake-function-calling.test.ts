// The fake's function calling: streamed tool calls (tool_stream pieces, several calls, finish_reason
// "tool_calls") and GLM's 1214 for a tool message that answers no call the fake issued.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeGlm, type FakeGlm } from "../fake-glm/index.js";

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const TOOLS = [
  { type: "function", function: { name: "read_file", description: "Read", parameters: { type: "object" } } },
];
const post = (body: Record<string, unknown>) =>
  fetch(`${fake.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "glm-4.7", tools: TOOLS, ...body }),
  });
const chunks = async (res: Response) =>
  (await res.text())
    .split("\n")
    .filter((l) => l.startsWith("data: {"))
    .map((l) => JSON.parse(l.slice(6)) as any);
const two = {
  tool_calls: [
    { id: "call_a", function: { name: "read_file", arguments: '{"path":"src/a.ts"}' } },
    { id: "call_b", function: { name: "read_file", arguments: '{"path":"src/b.ts"}' } },
  ],
};

describe("fake GLM function calling", () => {
  it("with tool_stream sends id and name first, then the arguments in pieces, per index", async () => {
    fake.answer(two);
    const got = await chunks(
      await post({ messages: [{ role: "user", content: "go" }], stream: true, tool_stream: true }),
    );
    const pieces = got.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(pieces[0]).toEqual({
      index: 0,
      id: "call_a",
      type: "function",
      function: { name: "read_file", arguments: "" },
    });
    const args = (i: number) =>
      pieces
        .filter((p: any) => p.index === i)
        .map((p: any) => p.function.arguments)
        .join("");
    expect(pieces.filter((p: any) => p.index === 0).length).toBeGreaterThan(2);
    expect(args(0)).toBe('{"path":"src/a.ts"}');
    expect(args(1)).toBe('{"path":"src/b.ts"}');
    expect(got.at(-1).choices[0].finish_reason).toBe("tool_calls");
  });

  it("without tool_stream sends each call whole", async () => {
    fake.answer(two);
    const got = await chunks(await post({ messages: [{ role: "user", content: "go" }], stream: true }));
    const pieces = got.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(pieces.map((p: any) => p.function.arguments)).toEqual([
      '{"path":"src/a.ts"}',
      '{"path":"src/b.ts"}',
    ]);
  });

  it("accepts a tool message that answers an issued call, and refuses one it never issued (1214)", async () => {
    fake.answer(two);
    await post({ messages: [{ role: "user", content: "go" }] });
    const history = (id: string) => [
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id, type: "function", function: two.tool_calls[0]!.function }],
      },
      { role: "tool", tool_call_id: id, content: "file text" },
    ];
    expect((await post({ messages: history("call_a") })).status).toBe(200);
    const forged = await post({ messages: history("call_forged") });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("1214");
    // An issued id that no earlier assistant turn of this request asked for is refused too.
    const orphan = await post({
      messages: [
        { role: "user", content: "go" },
        { role: "tool", tool_call_id: "call_b", content: "x" },
      ],
    });
    expect(orphan.status).toBe(400);
  });
});
