import { describe, expect, it } from "vitest";
import { collectChatStream } from "../../src/glm/collect.js";
import { cleanAnswer } from "../../src/output/answer.js";
import { decodeJoinedBase64 } from "../../src/media/audio/base64.js";
import { ContentFilteredError } from "../../src/glm/errors.js";
import type { ChatChunk } from "../../src/glm/types.js";

async function* chunks(...cs: ChatChunk[]) {
  yield* cs;
}

describe("cleanAnswer", () => {
  it("strips box markers and think blocks, keeping the answer", () => {
    expect(cleanAnswer("<|begin_of_box|>42<|end_of_box|>")).toBe("42");
    expect(cleanAnswer("<think>let me see</think>\nThe cat is black.")).toBe("The cat is black.");
    expect(cleanAnswer("stray </think> tag")).toBe("stray  tag");
    expect(cleanAnswer("plain")).toBe("plain");
  });
});

describe("collectChatStream", () => {
  it("joins reasoning, content and base64 audio pieces (each padded on its own)", async () => {
    const a = Buffer.from("hello ");
    const b = Buffer.from("world!");
    const r = await collectChatStream(
      chunks(
        { id: "1", model: "m", choices: [{ index: 0, delta: { reasoning_content: "think " } }] },
        {
          choices: [
            { index: 0, delta: { content: "ans", audio: { id: "au1", data: a.toString("base64") } } },
          ],
        },
        {
          choices: [
            { index: 0, delta: { content: "wer", audio: { id: "au1", data: b.toString("base64") } } },
          ],
        },
        {
          choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        },
      ),
    );
    expect(r.reasoning).toBe("think ");
    expect(r.content).toBe("answer");
    expect(r.audio?.id).toBe("au1");
    expect(decodeJoinedBase64(r.audio!.data).toString()).toBe("hello world!");
    expect(r.usage?.total_tokens).toBe(3);
  });

  it("keeps audio cut at arbitrary points of one base64 string decodable", async () => {
    const whole = Buffer.from("the quick brown fox jumps over the lazy dog").toString("base64");
    const cuts = [whole.slice(0, 10), whole.slice(10, 23), whole.slice(23)];
    const r = await collectChatStream(
      chunks(...cuts.map((data) => ({ choices: [{ index: 0, delta: { audio: { id: "a", data } } }] })), {
        choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
      }),
    );
    expect(decodeJoinedBase64(r.audio!.data).toString()).toBe("the quick brown fox jumps over the lazy dog");
  });

  it("turns finish_reason sensitive into a ContentFilteredError", async () => {
    await expect(
      collectChatStream(
        chunks({ choices: [{ index: 0, delta: { content: "x" }, finish_reason: "sensitive" }] }),
      ),
    ).rejects.toBeInstanceOf(ContentFilteredError);
  });
});
