// Every alias of every tool, and every shape repair, mapped onto the canonical argument the listed
// schema names; unknown and conflicting arguments refused with a sentence. Pure: no server, no GLM.
import { describe, expect, it } from "vitest";
import { ToolInputError } from "../../src/errors.js";
import { normalizeArguments, type ToolShape, type FieldSchema } from "../../src/tools/aliases/normalize.js";
import { messagesToPrompt } from "../../src/tools/aliases/glm-reason.js";
import { listedSchema } from "../../src/tools/listed-schema.js";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";

const shapeOf = (name: string): ToolShape => {
  const def = TOOL_DEFINITIONS.find((d) => d.name === name)!;
  const s = listedSchema(def.config.inputSchema, "input");
  return {
    name,
    properties: s.properties as Record<string, FieldSchema>,
    required: (s.required ?? []) as string[],
  };
};
const tableOf = (name: string) => TOOL_DEFINITIONS.find((d) => d.name === name)!.aliases!;
const norm = (tool: string, raw: Record<string, unknown>) =>
  normalizeArguments(shapeOf(tool), tableOf(tool), raw);
const refusal = (tool: string, raw: Record<string, unknown>) => {
  try {
    norm(tool, raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ToolInputError);
    return (e as Error).message;
  }
  throw new Error(`expected ${tool} to refuse ${JSON.stringify(raw)}`);
};

/** A value of the canonical field's listed type, as an agent would write it under the alias. */
function sampleFor(field: FieldSchema | undefined): { given: unknown; expected: unknown } {
  switch (field?.type) {
    case "integer":
    case "number":
      return { given: 3, expected: 3 };
    case "boolean":
      return { given: true, expected: true };
    case "array":
      return { given: ["a.png"], expected: ["a.png"] };
    case "object":
      return { given: { x: 0, y: 0, width: 1, height: 1 }, expected: { x: 0, y: 0, width: 1, height: 1 } };
    default:
      return field?.enum
        ? { given: field.enum[0], expected: field.enum[0] }
        : { given: "value", expected: field?.anyOf ? "value" : "value" };
  }
}

describe("every alias maps onto its canonical argument", () => {
  for (const def of TOOL_DEFINITIONS) {
    describe(def.name, () => {
      const shape = shapeOf(def.name);
      it("has an alias table whose targets are all canonical arguments", () => {
        expect(def.aliases, def.name).toBeDefined();
        for (const [alias, to] of Object.entries(def.aliases!.names)) {
          expect(Object.keys(shape.properties), `${alias} -> ${to}`).toContain(to);
          expect(Object.keys(shape.properties), `${alias} shadows a canonical name`).not.toContain(alias);
        }
      });
      for (const [alias, to] of Object.entries(def.aliases!.names)) {
        it(`${alias} -> ${to}`, () => {
          const { given, expected } = sampleFor(shape.properties[to]);
          const listTo = def.aliases!.listTo?.[to];
          const out = norm(def.name, { [alias]: given });
          expect(out).toEqual({ [listTo && Array.isArray(expected) ? listTo : to]: expected });
        });
      }
    });
  }
});

describe("shapes agents write", () => {
  it("numbers and booleans as strings, thinking as {type}, null as not given", () => {
    expect(
      norm("glm_reason", {
        prompt: "p",
        max_tokens: "2000",
        temperature: " 0.2 ",
        thinking: "enabled",
        include_reasoning: "true",
        system: null,
      }),
    ).toEqual({ prompt: "p", max_tokens: 2000, temperature: 0.2, thinking: true, include_reasoning: true });
    expect(norm("glm_reason", { prompt: "p", thinking: { type: "disabled" } })).toEqual({
      prompt: "p",
      thinking: false,
    });
    expect(norm("glm_reason", { prompt: "p", thinking: "off" }).thinking).toBe(false);
    // Not a number or a switch: left for validation to refuse, not guessed.
    expect(norm("glm_reason", { prompt: "p", max_tokens: "lots" }).max_tokens).toBe("lots");
    expect(norm("glm_reason", { prompt: "p", thinking: "maybe" }).thinking).toBe("maybe");
  });

  it("a string where a list is meant, a JSON-encoded list, {url} objects", () => {
    expect(norm("vision_analyze", { images: "/x.png", prompt: "p" })).toEqual({
      images: ["/x.png"],
      prompt: "p",
    });
    expect(norm("document_analyze", { files: "a.pdf", prompt: "p" }).files).toEqual(["a.pdf"]);
    expect(norm("document_analyze", { files: '["a.pdf","b.txt"]', prompt: "p" }).files).toEqual([
      "a.pdf",
      "b.txt",
    ]);
    expect(
      norm("vision_analyze", {
        images: [{ type: "image_url", image_url: { url: "https://x/a.png" } }, { path: "/b.png" }],
        prompt: "p",
      }).images,
    ).toEqual(["https://x/a.png", "/b.png"]);
    expect(norm("vision_analyze", { image_url: { url: "https://x/a.png" }, prompt: "p" }).image).toBe(
      "https://x/a.png",
    );
    expect(norm("voice_reply", { input_audio: { data: "UklGRg==", format: "wav" } }).audio).toBe("UklGRg==");
  });

  it("a list where one string is meant: targets joined, one-item lists unwrapped, image lists moved", () => {
    expect(norm("vision_locate", { image: "/x.png", targets: ["button", "logo"] }).targets).toBe(
      "button, logo",
    );
    expect(norm("video_understand", { video: ["https://x/v.mp4"], prompt: "p" }).video).toBe(
      "https://x/v.mp4",
    );
    expect(norm("vision_analyze", { image: ["/a.png", "/b.png"], prompt: "p" })).toEqual({
      images: ["/a.png", "/b.png"],
      prompt: "p",
    });
  });

  it("model names and enum values in any case; OpenAI's response_format object", () => {
    expect(norm("vision_analyze", { image: "/a.png", prompt: "p", model: "GLM-4.6V" }).model).toBe(
      "glm-4.6v",
    );
    expect(norm("embed_text", { texts: "a", model: "Embedding-3", output: "FILE" })).toEqual({
      texts: "a",
      model: "embedding-3",
      output: "file",
    });
    expect(
      norm("glm_reason", { prompt: "p", response_format: { type: "json_object" } }).response_format,
    ).toBe("json_object");
    expect(norm("realtime_chat", { text: "hi", voice: "TongTong" }).voice).toBe("tongtong");
  });

  it("other values of an enum (vision_analyze task: the official tool names), and a sentence as task", () => {
    expect(norm("vision_analyze", { task: "extract_text_from_screenshot" })).toEqual({
      task: "extract_text",
    });
    expect(norm("vision_analyze", { task: "UI-Diff-Check" })).toEqual({ task: "ui_diff" });
    expect(norm("vision_analyze", { task: "ocr" })).toEqual({ task: "extract_text" });
    // A sentence is the prompt (task was once a name of prompt); with a prompt given it stays, to be refused.
    expect(norm("vision_analyze", { task: "Read the text" })).toEqual({ prompt: "Read the text" });
    expect(norm("vision_analyze", { task: "Read the text", prompt: "x" })).toEqual({
      task: "Read the text",
      prompt: "x",
    });
    expect(norm("vision_analyze", { task: "translate" })).toEqual({ task: "translate" });
    // Other tools keep task as a name of prompt.
    expect(norm("video_understand", { task: "ocr" })).toEqual({ prompt: "ocr" });
  });

  it("a JSON-encoded region object", () => {
    expect(
      norm("vision_analyze", { image: "/a", prompt: "p", region: '{"x":0,"y":0,"width":0.5,"height":0.5}' })
        .region,
    ).toEqual({
      x: 0,
      y: 0,
      width: 0.5,
      height: 0.5,
    });
  });

  it("names in camelCase, PascalCase or kebab-case match without a table entry", () => {
    expect(norm("embed_text", { texts: ["a"], query: "q", topK: "2" })).toEqual({
      texts: ["a"],
      query: "q",
      top_k: 2,
    });
    expect(norm("glm_reason", { Prompt: "p", "max-tokens": 5, conversationId: "c" })).toEqual({
      prompt: "p",
      max_tokens: 5,
      conversation_id: "c",
    });
    expect(norm("glm_reason", { prompt: "p", systemPrompt: "French." }).system).toBe("French.");
  });
});

describe("OpenAI-style messages for glm_reason", () => {
  it("system + user turns become system + prompt", () => {
    expect(
      norm("glm_reason", {
        messages: [
          { role: "system", content: "Answer in French." },
          { role: "user", content: [{ type: "text", text: "Why is the sky blue?" }] },
        ],
      }),
    ).toEqual({ system: "Answer in French.", prompt: "Why is the sky blue?" });
  });

  it("earlier user/assistant turns travel as a labelled transcript before the last question", () => {
    const out = messagesToPrompt([
      { role: "user", content: "Name a prime." },
      { role: "assistant", content: "7" },
      { role: "user", content: "And the next one?" },
    ]);
    expect(out).toEqual({
      prompt:
        "Earlier turns of this conversation:\n\nUser: Name a prime.\n\nAssistant: 7\n\nNow answer this:\n\nAnd the next one?",
    });
  });

  it("images, empty lists and a conversation not ending with the user are refused with a sentence", () => {
    expect(
      refusal("glm_reason", {
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }],
      }),
    ).toMatch(/text only.*vision_analyze/);
    expect(refusal("glm_reason", { messages: [] })).toMatch(/list of/);
    expect(refusal("glm_reason", { messages: [{ role: "assistant", content: "x" }] })).toMatch(
      /end with a user turn/,
    );
  });

  it("messages and prompt that disagree are refused, naming both", () => {
    expect(refusal("glm_reason", { prompt: "a", messages: [{ role: "user", content: "b" }] })).toMatch(
      /`prompt` and `messages` both set glm_reason's `prompt`/,
    );
  });
});

describe("nothing is dropped silently", () => {
  it("an unknown argument is an error naming the nearest valid one", () => {
    expect(refusal("embed_text", { texts: ["a"], top_kk: 2 })).toMatch(
      /unknown argument `top_kk`: did you mean `top_k`\?/,
    );
    expect(refusal("glm_reason", { prompt: "p", temprature: 0.2 })).toMatch(/did you mean `temperature`/);
    // An alias is suggested as its canonical name.
    expect(refusal("glm_reason", { prompt: "p", sytem_prompt: "x" })).toMatch(/did you mean `system`/);
    const far = refusal("glm_reason", { prompt: "p", stream: true });
    expect(far).toMatch(/unknown argument `stream` \(glm_reason takes prompt, system, model/);
  });

  it("two names for one argument with different values are refused; equal values are fine", () => {
    expect(refusal("glm_reason", { prompt: "a", question: "b" })).toBe(
      "`prompt` and `question` both set glm_reason's `prompt` with different values: pass only one of them.",
    );
    expect(norm("glm_reason", { prompt: "a", question: "a" })).toEqual({ prompt: "a" });
    expect(norm("glm_reason", { prompt: "a", max_tokens: 5, maxTokens: "5" })).toEqual({
      prompt: "a",
      max_tokens: 5,
    });
    expect(refusal("vision_analyze", { image: ["/a", "/b"], images: ["/c"], prompt: "p" })).toMatch(
      /put every source in `images`/,
    );
  });
});
