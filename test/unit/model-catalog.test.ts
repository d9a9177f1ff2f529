// The model catalog informs, it never gates: resolveModel / inferModel / visionRules / requestKind,
// the request builders' thinking rule, GLM's own refusal turned into the listing sentence, and the
// settings the official @z_ai/mcp-server users carry over (Z_AI_VISION_MODEL, Z_AI_MODE).
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import {
  BadRequestError,
  errorFromResponse,
  ModelNotFoundError,
  RateLimitError,
} from "../../src/glm/errors.js";
import { explainModelRefusal } from "../../src/glm/model-refusal.js";
import {
  findModel,
  inferModel,
  MODELS,
  requestKind,
  ModelKindError,
  resolveModel,
  visionRules,
} from "../../src/glm/models.js";
import { reasonRequest, visionRequest } from "../../src/glm/requests.js";
import { ToolInputError } from "../../src/errors.js";

const user = [{ role: "user" as const, content: "hi" }];
const image = [{ type: "image_url" as const, image_url: { url: "https://example.com/a.png" } }];

describe("resolveModel", () => {
  it("returns the catalog entry for a known model, without a note", () => {
    const info = resolveModel("GLM-5.3", ["chat"], "cn");
    expect(info).toBe(findModel("glm-5.3"));
    expect(info.catalogNote).toBeUndefined();
    expect(info.thinking).toBe("always");
  });

  it("infers an unknown glm-5 text name: lower-cased, thinking always, no clamp, one note", () => {
    const info = resolveModel("GLM-5.9", ["chat"], "cn");
    expect(info).toMatchObject({ name: "glm-5.9", kind: "chat", thinking: "always", inferred: true });
    expect(info.maxOutputTokens).toBeUndefined();
    expect(info.catalogNote).toBe(
      "[glm-5.9 is not in glm-mcp's catalog; sent with GLM-5 defaults (thinking always on, no max_tokens cap).]",
    );
  });

  it("infers an unknown name asked of a vision tool with vision rules", () => {
    const info = resolveModel("glm-5.9v", ["vision"], "intl");
    expect(info).toMatchObject({ name: "glm-5.9v", kind: "vision", thinking: "always", codingPlan: false });
    expect(visionRules("glm-5.9v")).toEqual({
      name: "glm-5.9v",
      maxImages: 50,
      base64Images: true,
      video: true,
      files: true,
      thinking: "always",
    });
  });

  it("keeps the thinking switch for an unknown glm-4.x name", () => {
    expect(inferModel("glm-4.8", "chat").thinking).toBe("toggle");
    expect(resolveModel("glm-4.8", ["chat"], "cn").catalogNote).toMatch(
      /GLM-4 defaults \(no max_tokens cap\)/,
    );
  });

  it("sends a model the catalog lists for the other region, with a note naming the region's models", () => {
    const info = resolveModel("glm-4.5", ["chat"], "cn");
    expect(info.name).toBe("glm-4.5");
    expect(info.catalogNote).toMatch(
      /does not list glm-4\.5 for region cn \(open\.bigmodel\.cn\) and it is being retired; sent anyway.*glm-4\.7.*GLM_REGION=intl/,
    );
  });

  it("refuses a known model of another kind before any request; the frame adds the tools that take it", () => {
    expect(() => resolveModel("embedding-3", ["vision"], "cn")).toThrow(ToolInputError);
    expect(() => resolveModel("embedding-3", ["vision"], "cn")).toThrow(
      /^embedding-3 is an embedding model, which this tool cannot call: pick one of glm-5\.3-flash, .*glm-4\.6v.* here\.$/,
    );
    let refusal: unknown;
    try {
      resolveModel("glm-4.6v", ["chat"], "cn");
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(ModelKindError);
    const named = (refusal as ModelKindError).naming(["vision_analyze", "video_understand"]);
    expect(named).toBeInstanceOf(ToolInputError);
    expect(named.message).toMatch(
      /^glm-4\.6v is a vision model, which this tool cannot call: use it with vision_analyze, video_understand, or pick one of glm-5\.4, .* here\.$/,
    );
  });
});

describe("the GLM-5.x catalog entries", () => {
  it("has glm-5 to 5.4, 5.3-flash and 5v-turbo, each with a source for every figure", () => {
    for (const name of [
      "glm-5",
      "glm-5.1",
      "glm-5.2",
      "glm-5.3",
      "glm-5.3-flash",
      "glm-5.4",
      "glm-5v-turbo",
    ]) {
      const m = findModel(name);
      expect(m, name).toBeDefined();
      for (const figure of ["context", "max output", "thinking", "modalities"])
        expect(m!.source, `${name}: ${figure}`).toContain(`${figure}:`);
    }
  });

  it("knows glm-5.3-flash as an always-thinking vision model taking images and video", () => {
    expect(findModel("glm-5.3-flash")).toMatchObject({
      kind: "vision",
      thinking: "always",
      input: ["text", "image", "video"],
      maxOutputTokens: 131_072,
    });
    expect(visionRules("glm-5.3-flash")).toMatchObject({ video: true, files: false, thinking: "always" });
    expect(findModel("glm-5.3")!.maxOutputTokens).toBeUndefined();
  });

  it("keeps every name unique", () => {
    const names = MODELS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("requests never carry thinking disabled to a model that always thinks", () => {
  it("glm-5.3: thinking=false is dropped with a note", () => {
    const req = reasonRequest({
      info: resolveModel("glm-5.3", ["chat"], "cn"),
      messages: user,
      thinking: false,
    });
    expect(req.body).not.toHaveProperty("thinking");
    expect(req.notes).toEqual([
      "[glm-5.3 always reasons: thinking=false was not sent, as GLM refuses it for this model.]",
    ]);
  });

  it("an inferred glm-5.9v vision request: the catalog note first, no thinking field", () => {
    const info = resolveModel("glm-5.9v", ["vision"], "cn");
    const req = visionRequest({ info, parts: image, thinking: false, max_tokens: 500_000 });
    expect(req.body).toEqual({
      model: "glm-5.9v",
      messages: [{ role: "user", content: image }],
      max_tokens: 500_000,
    });
    expect(req.notes[0]).toMatch(/glm-5\.9v is not in glm-mcp's catalog/);
    expect(req.notes[1]).toMatch(/thinking=false was not sent/);
  });

  it("a toggle model still gets thinking disabled when asked", () => {
    const req = reasonRequest({
      info: resolveModel("glm-4.7", ["chat"], "cn"),
      messages: user,
      thinking: false,
    });
    expect(req.body.thinking).toEqual({ type: "disabled" });
    expect(req.notes).toEqual([]);
  });
});

describe("requestKind (endpoint routing)", () => {
  it("uses the catalog, else what the body carries", () => {
    expect(requestKind("glm-4.6v")).toBe("vision");
    expect(requestKind("glm-5.9", [{ role: "user", content: "x" }])).toBe("chat");
    expect(requestKind("glm-5.9", [{ role: "user", content: image }])).toBe("vision");
    expect(
      requestKind("glm-9-voice", [
        { role: "user", content: [{ type: "input_audio", input_audio: { data: "AA==", format: "wav" } }] },
      ]),
    ).toBe("voice");
  });
});

describe("explainModelRefusal", () => {
  const glm1211 = () =>
    errorFromResponse(
      400,
      JSON.stringify({ error: { code: "1211", message: "模型不存在，请检查模型代码：glm-5.9" } }),
    );

  it("turns GLM's 1211 into one sentence listing the region's models of that kind", () => {
    const err = explainModelRefusal(glm1211(), { model: "glm-5.9", messages: user }, "cn");
    expect(err).toBeInstanceOf(ModelNotFoundError);
    const text = (err as ModelNotFoundError).toolMessage();
    expect(text).toMatch(
      /^GLM does not know the model "glm-5\.9" \(or the key cannot use it\): use one of glm-5\.4, glm-5\.3, /,
    );
    expect(text).toContain("glm-4.7");
    expect(text).not.toContain("glm-4.6v,");
    expect(text).toContain("(HTTP 400, code 1211)");
  });

  it("lists vision models for a vision body, and the intl models in region intl", () => {
    const err = explainModelRefusal(
      glm1211(),
      { model: "glm-5.9v", messages: [{ role: "user", content: image }] },
      "intl",
    );
    const text = (err as ModelNotFoundError).toolMessage();
    expect(text).toMatch(/use one of glm-5\.3-flash, .*glm-4\.5v.*\(region intl, api\.z\.ai/);
    expect(text).not.toContain("glm-4.1v-thinking");
  });

  it("explains a 1210 about thinking, and leaves other errors alone", () => {
    const thinking = errorFromResponse(
      400,
      JSON.stringify({ error: { code: "1210", message: "API 调用参数有误：thinking.type=disabled 不支持" } }),
    );
    const err = explainModelRefusal(thinking, { model: "glm-4.8", messages: user }, "cn");
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).toolMessage()).toMatch(
      /GLM refused the thinking setting for "glm-4\.8", which is not in glm-mcp's catalog so its thinking rules were guessed: call again with thinking left out, or use one of glm-5\.4/,
    );
    const maxTokens = errorFromResponse(
      400,
      JSON.stringify({ error: { code: "1210", message: "max_tokens参数非法" } }),
    );
    expect(explainModelRefusal(maxTokens, { model: "glm-4.8", messages: user }, "cn")).toBe(maxTokens);
    const busy = new RateLimitError({ code: "1302" });
    expect(explainModelRefusal(busy, { model: "glm-4.8", messages: user }, "cn")).toBe(busy);
  });
});

describe("settings of the official server carried over", () => {
  const base = { GLM_MCP_LOG_LEVEL: "silent" };
  it("GLM_VISION_MODEL, else Z_AI_VISION_MODEL, else glm-4.6v", () => {
    expect(loadConfig(base).defaultVisionModel).toBe("glm-4.6v");
    expect(loadConfig({ ...base, Z_AI_VISION_MODEL: "glm-5.3-flash" }).defaultVisionModel).toBe(
      "glm-5.3-flash",
    );
    expect(
      loadConfig({ ...base, Z_AI_VISION_MODEL: "glm-5.3-flash", GLM_VISION_MODEL: "glm-4.6v-flash" })
        .defaultVisionModel,
    ).toBe("glm-4.6v-flash");
  });

  it("Z_AI_MODE=ZAI means region intl, ZHIPU cn; GLM_REGION wins; other values are refused", () => {
    expect(loadConfig({ ...base, Z_AI_MODE: "ZAI" }).region).toBe("intl");
    expect(loadConfig({ ...base, Z_AI_MODE: "z_ai" }).baseUrl).toBe("https://api.z.ai/api/paas/v4");
    expect(loadConfig({ ...base, Z_AI_MODE: "ZHIPU" }).region).toBe("cn");
    expect(loadConfig({ ...base, Z_AI_MODE: "ZAI", GLM_REGION: "cn" }).region).toBe("cn");
    expect(() => loadConfig({ ...base, Z_AI_MODE: "moon" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, Z_AI_MODE: "moon" })).toThrow(/Z_AI_MODE must be ZAI.*or ZHIPU/);
    // The official server reads PLATFORM_MODE first, then Z_AI_MODE.
    expect(loadConfig({ ...base, PLATFORM_MODE: "ZAI" }).region).toBe("intl");
    expect(loadConfig({ ...base, PLATFORM_MODE: "ZHIPU", Z_AI_MODE: "ZAI" }).region).toBe("cn");
    expect(() => loadConfig({ ...base, PLATFORM_MODE: "moon" })).toThrow(/^PLATFORM_MODE must be ZAI/);
  });
});
