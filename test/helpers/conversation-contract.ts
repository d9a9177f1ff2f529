// The conversation contract both stores hold (memory and Redis): test/unit/conversations.test.ts
// runs it on memory, test/unit/conversations-redis.test.ts on a real redis-server (npm run
// test:replicas, as it needs the binary).
import { expect, it } from "vitest";
import { ConversationStore } from "../../src/state/conversations.js";
import type { ChatMessage } from "../../src/glm/types.js";
import type { ConversationLimits } from "../../src/store/memory.js";
import type { ConversationBackend } from "../../src/store/types.js";

export const turn = (text: string, audioChars = 0): ChatMessage[] => [
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

export const LIMITS: ConversationLimits = { max: 200, ttlMs: 60_000, maxTotalChars: 64 * 1024 * 1024 };

/** Two handles on one store: for Redis, two connections as two replicas would have. */
export type Make = (
  limits?: Partial<ConversationLimits>,
) => Promise<[ConversationBackend, ConversationBackend]>;

/** The contract's cases, registered in the caller's describe. */
export function conversationContract(make: Make): void {
  it("continues only the tool's own conversations, from either replica", async () => {
    const [a, b] = await make();
    const one = new ConversationStore(a);
    const two = new ConversationStore(b);
    const id = await one.save(undefined, "glm_reason", "glm-4.7", turn("q1"));
    expect((await two.get(id, "glm_reason"))?.messages).toHaveLength(2);
    expect(await two.get(id, "voice_reply")).toBeUndefined();
    expect(await two.get("other", "glm_reason")).toBeUndefined();
    await expect(two.resume("other", "glm_reason")).rejects.toThrow(/Unknown or expired conversation_id/);
  });

  it("evicts the least recently used beyond the count", async () => {
    const [backend] = await make({ max: 2 });
    const store = new ConversationStore(backend);
    const a = await store.save(undefined, "t", "m", turn("a"));
    const b = await store.save(undefined, "t", "m", turn("b"));
    await store.save(a, "t", "m", turn("a2")); // a is now the most recent
    await store.save(undefined, "t", "m", turn("c"));
    expect(await store.get(b, "t")).toBeUndefined();
    expect(await store.get(a, "t")).toBeDefined();
  });

  it("keeps all conversations together under a character budget (audio turns are large)", async () => {
    const [backend] = await make({ maxTotalChars: 1_000_000 });
    const store = new ConversationStore(backend);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push(await store.save(undefined, "voice_reply", "glm-4-voice", turn(`q${i}`, 300_000)));
    expect(await store.get(ids[9]!, "voice_reply")).toBeDefined(); // the newest always survives
    expect(await store.get(ids[0]!, "voice_reply")).toBeUndefined();
    const kept = (await Promise.all(ids.map((id) => store.get(id, "voice_reply")))).filter(Boolean);
    expect(kept.reduce((sum, c) => sum + c!.chars, 0)).toBeLessThanOrEqual(1_000_000);
    // A single turn over the budget is still kept: the next call needs it.
    const huge = await store.save(undefined, "voice_reply", "glm-4-voice", turn("big", 2_000_000));
    expect(await store.get(huge, "voice_reply")).toBeDefined();
    expect(await store.get(ids[9]!, "voice_reply")).toBeUndefined();
  });

  it("forgets a conversation after its time to live", async () => {
    const [backend] = await make({ ttlMs: 300 });
    const store = new ConversationStore(backend);
    const id = await store.save(undefined, "t", "m", turn("a"));
    expect(await store.get(id, "t")).toBeDefined();
    await new Promise((r) => setTimeout(r, 700));
    expect(await store.get(id, "t")).toBeUndefined();
  });

  it("trims the oldest turns of one long conversation, keeping the system message", async () => {
    const [backend] = await make();
    const store = new ConversationStore(backend, 1_000);
    const messages: ChatMessage[] = [
      { role: "system", content: "sys" },
      ...turn("x".repeat(600)),
      ...turn("y".repeat(600)),
    ];
    const id = await store.save(undefined, "glm_reason", "glm-4.7", messages);
    const kept = (await store.get(id, "glm_reason"))!.messages;
    expect(kept[0]).toEqual({ role: "system", content: "sys" });
    expect(kept).toHaveLength(3);
    expect(kept[1]!.content).toBe("y".repeat(600));
  });
}
