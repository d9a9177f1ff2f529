// The conversation contract on this process's memory store (the Redis run of the same contract is
// test/unit/conversations-redis.test.ts, in npm run test:replicas), and trimming.
import { describe, expect, it } from "vitest";
import { trimToChars } from "../../src/state/conversations.js";
import type { ChatMessage } from "../../src/glm/types.js";
import { MemoryConversations } from "../../src/store/memory.js";
import { conversationContract, LIMITS, type Make } from "../helpers/conversation-contract.js";

const memory: Make = async (limits) => {
  const b = new MemoryConversations({ ...LIMITS, ...limits });
  return [b, b];
};
describe("conversations in memory", () => conversationContract(memory));

describe("trimming", () => {
  it("drops whole turns, so no tool result loses the call it answers", () => {
    const explored: ChatMessage[] = [
      { role: "user", content: "u".repeat(500) },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "c1", type: "function", function: { name: "read_file", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: "t".repeat(500) },
      { role: "assistant", content: "a".repeat(100) },
      { role: "user", content: "second question" },
      { role: "assistant", content: "answer" },
    ];
    const kept = trimToChars(explored, 600);
    expect(kept.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(kept[0]!.content).toBe("second question");
    // A pairwise trim would have kept the tool message without its assistant tool_calls.
    expect(kept.some((m) => m.role === "tool")).toBe(false);
  });
});
