// Every alias of every tool maps onto its canonical argument; shapes agents write are coerced;
// unknown and conflicting arguments are errors that name them (nothing is dropped silently).
import { describe, expect, it } from "vitest";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";
import { TOOL_ALIASES, aliasesOf } from "../../src/tools/aliases.js";
import { normalizeArgs } from "../../src/tools/aliases-normalize.js";
import { editDistance, nearestName } from "../../src/tools/aliases-suggest.js";

const shapeOf = (tool: string) => TOOL_DEFINITIONS.find((d) => d.name === tool)!.config.inputSchema;
const norm = (tool: string, raw: unknown) => normalizeArgs(tool, shapeOf(tool), aliasesOf(tool), raw);
const ok = (tool: string, raw: unknown) => {
  const r = norm(tool, raw);
  if (!r.ok) throw new Error(r.message);
  return r.args;
};
const error = (tool: string, raw: unknown) => {
  const r = norm(tool, raw);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.args)}`);
  return r.message;
};

/** A value the canonical argument accepts, given in the alias's own likely shape. */
function sampleFor(tool: string, canonical: string): unknown {
  const samples: Record<string, unknown> = {
    prompt: "What is this?",
    system: "Answer in French.",
    texts: ["alpha", "beta"],
    top_k: 2,
    dimensions: 256,
    image: "/tmp/x.png",
    images: ["/tmp/x.png", "/tmp/y.png"],
    targets: "button",
    video: "https://example.com/v.mp4",
    files: ["https://example.com/a.pdf"],
    audio: "/tmp/a.wav",
    text: "Hello",
    instructions: "Cheerful.",
    thinking: true,
    max_tokens: 100,
  };
  if (!(canonical in samples)) throw new Error(`no sample for ${tool}.${canonical}`);
  return samples[canonical];
}

describe("alias tables", () => {
  it("cover exactly the eight tools and point only at canonical arguments", () => {
    expect(Object.keys(TOOL_ALIASES).sort()).toEqual(TOOL_DEFINITIONS.map((d) => d.name).sort());
    for (const [tool, table] of Object.entries(TOOL_ALIASES)) {
      const canonical = Object.keys(shapeOf(tool));
      for (const [alias, target] of Object.entries(table.names)) {
        expect(canonical, `${tool}.${alias}`).toContain(target);
        expect(canonical, `${tool}.${alias} shadows a canonical name`).not.toContain(alias);
      }
    }
  });

  for (const [tool, table] of Object.entries(TOOL_ALIASES))
    for (const [alias, target] of Object.entries(table.names))
      it(`${tool}: \`${alias}\` → \`${target}\``, () => {
        const value = sampleFor(tool, target);
        expect(ok(tool, { [alias]: value })).toEqual({ [target]: value });
        // Given twice with the same value: accepted once; with a different value: named conflict.
        expect(ok(tool, { [alias]: value, [target]: value })).toEqual({ [target]: value });
        const other = typeof value === "number" ? value + 1 : typeof value === "boolean" ? !value : "other";
        const message = error(tool, { [target]: value, [alias]: other });
        expect(message).toContain(`\`${target}\``);
        expect(message).toContain(`\`${alias}\``);
      });
});

describe("shapes", () => {
  it("a string where a list is meant becomes a one-item list", () => {
    expect(ok("vision_analyze", { images: "/x.png" })).toEqual({ images: ["/x.png"] });
    expect(ok("document_analyze", { files: "a.pdf" })).toEqual({ files: ["a.pdf"] });
    expect(ok("document_analyze", { file: "a.pdf" })).toEqual({ files: ["a.pdf"] });
  });
  it("a list of targets is joined; a list given as `image` moves to `images`", () => {
    expect(ok("vision_locate", { targets: ["button", "logo"] })).toEqual({ targets: "button, logo" });
    expect(ok("vision_locate", { objects: ["cat"] })).toEqual({ targets: "cat" });
    expect(ok("vision_analyze", { image: ["/a.png", "/b.png"] })).toEqual({ images: ["/a.png", "/b.png"] });
    expect(error("vision_analyze", { image: ["/a.png"], images: ["/b.png"] })).toContain("`images`");
  });
  it("numeric and boolean strings, enabled/disabled and {type} for thinking", () => {
    expect(ok("glm_reason", { max_tokens: "2000", temperature: " 0.2 ", thinking: "enabled" })).toEqual({
      max_tokens: 2000,
      temperature: 0.2,
      thinking: true,
    });
    expect(ok("glm_reason", { thinking: "disabled", include_reasoning: "TRUE" })).toEqual({
      thinking: false,
      include_reasoning: true,
    });
    expect(ok("glm_reason", { thinking: { type: "enabled" } })).toEqual({ thinking: true });
    expect(ok("vision_analyze", { thinking: { type: "disabled" } })).toEqual({ thinking: false });
    expect(ok("embed_text", { topK: "3", dimensions: "512" })).toEqual({ top_k: 3, dimensions: 512 });
    // Not numbers: left alone for validation to refuse.
    expect(ok("glm_reason", { max_tokens: "lots" })).toEqual({ max_tokens: "lots" });
    expect(ok("glm_reason", { thinking: { type: "enabled", budget_tokens: 5 } })).toEqual({
      thinking: { type: "enabled", budget_tokens: 5 },
    });
  });
  it("model and enum names in any case", () => {
    expect(ok("glm_reason", { model: "GLM-4.7" })).toEqual({ model: "glm-4.7" });
    expect(ok("embed_text", { model: "Embedding-3", output: "FILE" })).toEqual({
      model: "embedding-3",
      output: "file",
    });
    expect(ok("realtime_chat", { model: "GLM-Realtime-Air" })).toEqual({ model: "glm-realtime-air" });
    // Strings that are strings stay as written.
    expect(ok("glm_reason", { prompt: "TRUE" })).toEqual({ prompt: "TRUE" });
  });
});

describe("OpenAI-style messages (glm_reason)", () => {
  it("system turns become `system`, the last user turn `prompt`", () => {
    expect(
      ok("glm_reason", {
        messages: [
          { role: "system", content: "Be terse." },
          { role: "user", content: [{ type: "text", text: "2+2?" }] },
        ],
      }),
    ).toEqual({ system: "Be terse.", prompt: "2+2?" });
  });
  it("earlier turns are folded into the prompt as a labelled transcript", () => {
    const { prompt } = ok("glm_reason", {
      messages: [
        { role: "user", content: "Name a prime." },
        { role: "assistant", content: "7" },
        { role: "user", content: "Another?" },
      ],
    }) as { prompt: string };
    expect(prompt).toContain("Earlier turns of this conversation (transcript):");
    expect(prompt).toContain("User: Name a prime.");
    expect(prompt).toContain("Assistant: 7");
    expect(prompt.endsWith("Current message:\nAnother?")).toBe(true);
  });
  it("refuses messages that do not end with a user turn, carry images, or conflict with prompt", () => {
    expect(error("glm_reason", { messages: [{ role: "assistant", content: "hi" }] })).toContain(
      "end with a user turn",
    );
    expect(
      error("glm_reason", {
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }],
      }),
    ).toContain("vision_analyze");
    expect(error("glm_reason", { prompt: "a", messages: [{ role: "user", content: "b" }] })).toMatch(
      /`prompt` and `messages`/,
    );
    expect(error("glm_reason", { messages: "hello" })).toContain("non-empty list");
  });
});

describe("unknown arguments", () => {
  it("name the nearest canonical argument and list the valid ones", () => {
    const m = error("embed_text", { texts: ["a"], top_x: 2 });
    expect(m).toMatch(/^unknown argument `top_x` for embed_text: did you mean `top_k`\?/);
    expect(m).toContain("texts, model, dimensions, query, top_k");
    expect(error("glm_reason", { prompt: "p", temprature: 0.3 })).toContain("did you mean `temperature`?");
    expect(error("vision_analyze", { image: "x", imagepath: "y" })).toContain("did you mean `image`?");
    const both = error("glm_reason", { prompt: "p", foo: 1, max_tokenz: 3 });
    expect(both).toContain("unknown arguments `foo`");
    expect(both).toContain("`max_tokenz` (did you mean `max_tokens`?)");
  });
  it("edit distance is the Levenshtein distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(nearestName("Top-K", ["texts", "top_k"], {})).toBe("top_k");
  });
});
