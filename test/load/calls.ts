// The kinds of tool call the load test and the benchmarks drive, one entry per tool. Each kind
// makes call number i unique, knows the right answer for it, and can send the same upstream
// request straight to the fake (the baseline for "added latency"). To cover a new tool, add an
// entry here: the load test and the latency benchmark pick up every kind whose tool is listed.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { fetch, type Dispatcher } from "undici";
import { embedText } from "../fake-glm/index.js";

export interface CallKind {
  tool: string;
  /** Arguments for call number i (unique per i, so a mixed-up answer is caught). */
  args(i: number): Record<string, unknown>;
  /** Throws when `result` is not the right answer to call i. */
  check(result: CallToolResult, i: number): void;
  /** The upstream request the tool makes for call i, sent directly to the fake and read to the end. */
  direct(baseUrl: string, apiKey: string, i: number, dispatcher?: Dispatcher): Promise<void>;
}

function textOf(result: CallToolResult): string {
  return result.content
    .filter((c) => c.type === "text")
    .map((c) => (c as { text: string }).text)
    .join("\n");
}

function fail(kind: string, i: number, why: string, result: CallToolResult): never {
  throw new Error(`${kind} call ${i}: ${why}; got ${textOf(result).slice(0, 300)}`);
}

async function postToFake(
  baseUrl: string,
  apiKey: string,
  path: string,
  body: unknown,
  dispatcher?: Dispatcher,
): Promise<void> {
  const res = await fetch(baseUrl + path, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json; charset=UTF-8" },
    body: JSON.stringify(body),
    dispatcher,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`fake answered ${res.status}: ${text.slice(0, 200)}`);
}

const reasonPrompt = (i: number) => `load call ${i}: say hello`;

export const glmReasonKind: CallKind = {
  tool: "glm_reason",
  args: (i) => ({ prompt: reasonPrompt(i), thinking: false }),
  check(result, i) {
    if (result.isError) fail("glm_reason", i, "isError", result);
    // The fake echoes the prompt: the answer must be this call's, not another's.
    const answer = (result.structuredContent as { answer?: string } | undefined)?.answer;
    if (answer !== `Echo: ${reasonPrompt(i)}`)
      fail("glm_reason", i, `answer was ${JSON.stringify(answer)}`, result);
  },
  direct: (baseUrl, apiKey, i, dispatcher) =>
    postToFake(
      baseUrl,
      apiKey,
      "/chat/completions",
      {
        model: "glm-4.7",
        messages: [{ role: "user", content: reasonPrompt(i) }],
        thinking: { type: "disabled" },
        stream: true,
      },
      dispatcher,
    ),
};

const embedTexts = (i: number) => [`load text ${i} alpha`, `load text ${i} beta`];
const EMBED_DIMS = 256;

export const embedTextKind: CallKind = {
  tool: "embed_text",
  args: (i) => ({ texts: embedTexts(i), dimensions: EMBED_DIMS, output: "inline" }),
  check(result, i) {
    if (result.isError) fail("embed_text", i, "isError", result);
    const sc = result.structuredContent as { count?: number; embeddings?: number[][] } | undefined;
    if (sc?.count !== 2 || sc.embeddings?.length !== 2) fail("embed_text", i, "wrong count", result);
    embedTexts(i).forEach((text, k) => {
      const want = embedText(text, EMBED_DIMS);
      const got = sc.embeddings![k]!;
      if (got.length !== EMBED_DIMS || got.some((x, d) => Math.abs(x - want[d]!) > 1e-6))
        fail("embed_text", i, `vector ${k} differs from the fake's`, result);
    });
  },
  direct: (baseUrl, apiKey, i, dispatcher) =>
    postToFake(
      baseUrl,
      apiKey,
      "/embeddings",
      { model: "embedding-3", input: embedTexts(i), dimensions: EMBED_DIMS },
      dispatcher,
    ),
};

/** A small real PNG (64×48, generated once with sharp), as a data URI: the intake decodes it for real. */
let pngDataUri: Promise<string> | undefined;
function smallPng(): Promise<string> {
  pngDataUri ??= import("sharp").then(async ({ default: sharp }) => {
    const png = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 90 } },
    })
      .png()
      .toBuffer();
    return `data:image/png;base64,${png.toString("base64")}`;
  });
  return pngDataUri;
}
const visionPrompt = (i: number) => `load vision ${i}: what colour is this?`;
/** The data URI, once built (args() is synchronous; call prepareKinds() first). */
let png = "";

export const visionAnalyzeKind: CallKind = {
  tool: "vision_analyze",
  args: (i) => ({ image: png, prompt: visionPrompt(i), thinking: false }),
  check(result, i) {
    if (result.isError) fail("vision_analyze", i, "isError", result);
    const answer = (result.structuredContent as { answer?: string } | undefined)?.answer;
    // The fake echoes the prompt and counts the images it received.
    if (answer !== `Echo: ${visionPrompt(i)} [1 image]`)
      fail("vision_analyze", i, `answer was ${JSON.stringify(answer)}`, result);
  },
  direct: (baseUrl, apiKey, i, dispatcher) =>
    postToFake(
      baseUrl,
      apiKey,
      "/chat/completions",
      {
        model: "glm-4.6v",
        messages: [
          {
            role: "user",
            content: [
              { type: "image_url", image_url: { url: png } },
              { type: "text", text: visionPrompt(i) },
            ],
          },
        ],
        thinking: { type: "disabled" },
        stream: true,
      },
      dispatcher,
    ),
};

export const CALL_KINDS: readonly CallKind[] = [glmReasonKind, embedTextKind, visionAnalyzeKind];

/** Builds what the kinds need (the test image); call once before using args(). */
export async function prepareKinds(): Promise<void> {
  png = await smallPng();
}

/** The kinds whose tool the server lists (tools still being built are skipped), ready to use. */
export async function availableKinds(toolNames: readonly string[]): Promise<CallKind[]> {
  await prepareKinds();
  return CALL_KINDS.filter((k) => toolNames.includes(k.tool));
}

/** Percentile (nearest rank) of an unsorted sample. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Resident set size of a process in bytes (Linux /proc; undefined elsewhere). */
export async function rssBytes(pid: number): Promise<number | undefined> {
  const { readFile } = await import("node:fs/promises");
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
