import { describe, expect, it } from "vitest";
import { ConversationStore } from "../../src/state/conversations.js";
import type { ChatMessage } from "../../src/glm/types.js";

const turn = (text: string, audioChars = 0): ChatMessage[] => [
  {
    role: "user",
    content: audioChars
      ? [
          { type: "input_audio", input_audio: { data: "A".repeat(audioChars), format: "wav" } },
          { type: "text", text },
        ]
      : text,
  },
  { role: "assistant", content: `re: ${text}` },
];

describe("ConversationStore", () => {
  it("continues only the tool's own conversations", () => {
    const store = new ConversationStore();
    const id = store.save(undefined, "glm_reason", "glm-4.7", turn("q1"));
    expect(store.get(id, "glm_reason")?.messages).toHaveLength(2);
    expect(store.get(id, "voice_reply")).toBeUndefined();
    expect(store.get("other", "glm_reason")).toBeUndefined();
  });

  it("evicts the least recently used beyond the count", () => {
    const store = new ConversationStore(2);
    const a = store.save(undefined, "t", "m", turn("a"));
    const b = store.save(undefined, "t", "m", turn("b"));
    store.get(a, "t");
    store.save(a, "t", "m", turn("a2")); // a is now the most recent
    store.save(undefined, "t", "m", turn("c"));
    expect(store.get(b, "t")).toBeUndefined();
    expect(store.get(a, "t")).toBeDefined();
    expect(store.size).toBe(2);
  });

  it("keeps all conversations together under a character budget (audio turns are large)", () => {
    const store = new ConversationStore(200, 400_000, 60_000, 1_000_000);
    const ids = Array.from({ length: 10 }, (_, i) =>
      store.save(undefined, "voice_reply", "glm-4-voice", turn(`q${i}`, 300_000)),
    );
    expect(store.chars).toBeLessThanOrEqual(1_000_000);
    expect(store.get(ids[9]!, "voice_reply")).toBeDefined(); // the newest always survives
    expect(store.get(ids[0]!, "voice_reply")).toBeUndefined();
    // A single turn over the budget is still kept: the next call needs it.
    const huge = store.save(undefined, "voice_reply", "glm-4-voice", turn("big", 2_000_000));
    expect(store.get(huge, "voice_reply")).toBeDefined();
    expect(store.size).toBe(1);
  });

  it("trims the oldest turns of one long conversation, keeping the system message", () => {
    const store = new ConversationStore(200, 1_000);
    const messages: ChatMessage[] = [
      { role: "system", content: "sys" },
      ...turn("x".repeat(600)),
      ...turn("y".repeat(600)),
    ];
    const id = store.save(undefined, "glm_reason", "glm-4.7", messages);
    const kept = store.get(id, "glm_reason")!.messages;
    expect(kept[0]).toEqual({ role: "system", content: "sys" });
    expect(kept).toHaveLength(3);
    expect(kept[1]!.content).toBe("y".repeat(600));
  });
});
