// `glm-mcp doctor --live`: one minimal real request per capability, so a user learns which tools
// their key, plan and region can use before an agent finds out. Costs (the platform's model pages,
// https://docs.bigmodel.cn/cn/guide/models/): glm-4.7-flash and glm-4.6v-flash are free,
// embedding-3 is 0.5 元 per million tokens and this sends one word, the realtime handshake sends
// no input; glm-4-voice (80 元 per million tokens) only with --all.
// The Web Search and Reader APIs are billed per call and no local doc names a free engine or tier
// (openapi-2026-07-11.json, /paas/v4/web_search and /paas/v4/reader): only with --all too.
// handshake sends no input; cogview-3-flash draws one 512 px image (free, models.ts);
// glm-4-voice (80 元 per million tokens, line 3096) and glm-asr-2512 (paid) only with --all.
import type { Config } from "../config.js";
import { dispatcherFromConfig, GlmClient } from "../glm/client.js";
import { endpointFor, WrongEndpointError } from "../glm/endpoints.js";
import {
  AuthenticationError,
  ConnectionError,
  describeError,
  InsufficientBalanceError,
  ModelNotFoundError,
  PermissionDeniedError,
  QuotaExceededError,
  RateLimitError,
  TimeoutError,
} from "../glm/errors.js";
import { generateImage } from "../glm/images.js";
import { findModel } from "../glm/models.js";
import { transcribe } from "../glm/transcriptions.js";
import { wavFromPcm } from "../util/wav-encode.js";
import { RealtimeConnectError } from "../glm/realtime-errors.js";
import { realtimeHandshake } from "../glm/realtime-handshake.js";
import { reasonRequest, visionRequest, voiceRequest } from "../glm/requests.js";
import { readPage, webSearch } from "../glm/web.js";
import { sharp } from "../media/sharp.js";
import { toolsCalling } from "../server/tool-endpoints.js";
import { WEB_READ } from "../tools/web-read.js";
import { WEB_SEARCH } from "../tools/web-search.js";
import { doctorModel } from "./doctor.js";

export type LiveStatus =
  "works" | "not in your plan" | "no balance" | "wrong region" | "unreachable" | "failed" | "skipped";

export interface LiveCheck {
  /** The tools this probe stands for (from the registry: those calling the probed kind of endpoint). */
  tools: string;
  endpoint: string;
  status: LiveStatus;
  /** What was sent and how it went, or the sentence that fixes it. */
  detail: string;
}

export interface LiveOptions {
  /** Also probe glm-4-voice (paid). */
  all?: boolean;
  /** For tests: the client for the HTTP probes (default: one built from config, without retries). */
  glm?: GlmClient;
}

const LIVE_TIMEOUT_MS = 30_000;
export const LIVE_VISION_MODEL = "glm-4.6v-flash";
export const LIVE_EMBEDDING_DIMENSIONS = 256;
export const LIVE_IMAGE_MODEL = "cogview-3-flash";

interface Probe {
  tools: string;
  endpoint: string;
  what: string;
  run: () => Promise<string | void>;
}

export async function runLiveChecks(config: Config, opts: LiveOptions = {}): Promise<LiveCheck[]> {
  const glm = opts.glm ?? liveClient(config);
  const chatModel = doctorModel(config);
  const probes: Probe[] = [
    {
      tools: toolsCalling("chat"),
      endpoint: glm.baseFor(chatModel),
      what: `${chatModel}, max_tokens 1`,
      run: async () => {
        const info = findModel(chatModel) ?? findModel("glm-4.7-flash")!;
        const { body } = reasonRequest({
          info,
          messages: [{ role: "user", content: "ping" }],
          thinking: false,
        });
        await glm.chat({ ...body, model: chatModel, max_tokens: 1 });
      },
    },
    {
      tools: toolsCalling("vision"),
      endpoint: glm.baseFor(LIVE_VISION_MODEL),
      what: `${LIVE_VISION_MODEL} on a 64 px PNG, max_tokens 1`,
      run: async () => {
        const png = await sharp({
          create: { width: 64, height: 64, channels: 3, background: "#3366cc" },
        })
          .png()
          .toBuffer();
        const { body } = visionRequest({
          info: findModel(LIVE_VISION_MODEL)!,
          parts: [
            { type: "image_url", image_url: { url: png.toString("base64") } },
            { type: "text", text: "ping" },
          ],
          thinking: false,
          max_tokens: 1,
        });
        await glm.chat(body);
      },
    },
    {
      tools: toolsCalling("embeddings"),
      endpoint: endpointFor("embeddings", config),
      what: `embedding-3, one ${LIVE_EMBEDDING_DIMENSIONS}-d vector`,
      run: async () => {
        const res = await glm.embeddings({
          model: "embedding-3",
          input: ["ping"],
          dimensions: LIVE_EMBEDDING_DIMENSIONS,
        });
        const got = res.data?.[0]?.embedding?.length;
        if (got !== LIVE_EMBEDDING_DIMENSIONS) return `answered with a ${got ?? 0}-d vector`;
      },
    },
    {
      tools: toolsCalling("realtime"),
      endpoint: config.realtimeUrl,
      what: "WebSocket handshake up to session.created, nothing sent",
      run: async () => {
        await realtimeHandshake({
          url: config.realtimeUrl,
          apiKey: config.apiKey,
          timeoutMs: Math.min(config.timeoutMs, LIVE_TIMEOUT_MS),
          dispatcher: dispatcherFromConfig(config),
        });
      },
    },
    {
      tools: toolsCalling("image"),
      endpoint: endpointFor("image", config),
      what: `${LIVE_IMAGE_MODEL}, one 512x512 standard image (not downloaded)`,
      run: async () => {
        await generateImage(glm, {
          model: LIVE_IMAGE_MODEL,
          prompt: "a blue dot",
          size: "512x512",
          quality: "standard",
        });
      },
    },
  ];
  if (opts.all)
    probes.push({
      tools: toolsCalling("transcription"),
      endpoint: endpointFor("transcription", config),
      what: "glm-asr-2512 on 0.5 s of silence (paid)",
      run: async () => {
        const wav = wavFromPcm(Buffer.alloc(16_000), { sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
        await transcribe(glm, { file: { bytes: wav, name: "silence.wav" }, model: "glm-asr-2512" });
      },
    });
  if (opts.all)
    probes.push({
      tools: toolsCalling("voice"),
      endpoint: endpointFor("voice", config),
      what: "glm-4-voice, max_tokens 16 (paid)",
      run: async () => {
        const { body } = voiceRequest(
          findModel("glm-4-voice")!,
          [{ role: "user", content: [{ type: "text", text: "Say: ok" }] }],
          { max_tokens: 16 },
        );
        await glm.chat(body);
      },
    });
  if (opts.all)
    probes.push(
      {
        tools: WEB_SEARCH,
        endpoint: endpointFor("web", config),
        what: "search_std, one result (paid per call)",
        run: async () => {
          await webSearch(glm, {
            search_query: "ping",
            search_engine: "search_std",
            search_intent: false,
            count: 1,
          });
        },
      },
      {
        tools: WEB_READ,
        endpoint: endpointFor("web", config),
        what: "reader on https://example.com (paid per call)",
        run: async () => {
          await readPage(glm, { url: "https://example.com/", return_format: "text", retain_images: false });
        },
      },
    );
  const checks: LiveCheck[] = [];
  for (const p of probes) checks.push(await probe(p, config));
  if (!opts.all)
    checks.push(
      {
        tools: toolsCalling("voice"),
        endpoint: endpointFor("voice", config),
        status: "skipped",
        detail: "not probed: glm-4-voice is paid; run `glm-mcp doctor --live --all` to include it",
      },
      {
        tools: toolsCalling("web"),
        endpoint: endpointFor("web", config),
        status: "skipped",
        detail:
          "not probed: the Web Search and Reader APIs are billed per call; run `glm-mcp doctor --live --all` to include them",
      },
      {
        tools: toolsCalling("transcription"),
        endpoint: endpointFor("transcription", config),
        status: "skipped",
        detail: "not probed: glm-asr-2512 is paid; run `glm-mcp doctor --live --all` to include it",
      },
    );
  return checks;
}

function liveClient(config: Config): GlmClient {
  return new GlmClient({
    baseUrl: config.baseUrl,
    codingBaseUrl: config.codingBaseUrl,
    apiKey: config.apiKey,
    timeoutMs: Math.min(config.timeoutMs, LIVE_TIMEOUT_MS),
    maxRetries: 0,
    dispatcher: dispatcherFromConfig(config),
  });
}

async function probe(p: Probe, config: Config): Promise<LiveCheck> {
  const base = { tools: p.tools, endpoint: p.endpoint };
  try {
    const odd = await p.run();
    if (odd) return { ...base, status: "failed", detail: `${p.what}: ${odd}` };
    return { ...base, status: "works", detail: p.what };
  } catch (err) {
    const [status, fix] = classify(err, config);
    return { ...base, status, detail: `${fix} (${describeError(err)})` };
  }
}

/** The typed error (errors.ts) -> the table's status and the sentence that fixes it. */
export function classify(err: unknown, config: Config): [LiveStatus, string] {
  const region = config.region === "cn" ? "open.bigmodel.cn (GLM_REGION=cn)" : "api.z.ai (GLM_REGION=intl)";
  if (err instanceof InsufficientBalanceError)
    return ["no balance", "Top up the account or buy a resource package for this model in the GLM console"];
  if (err instanceof AuthenticationError)
    return [
      "wrong region",
      `The key was rejected by ${region}: a key from open.bigmodel.cn needs GLM_REGION=cn, one from z.ai needs GLM_REGION=intl; otherwise check GLM_API_KEY`,
    ];
  if (err instanceof ModelNotFoundError)
    return [
      "not in your plan",
      `This key cannot use the model on ${region}: the model may not be served in this region or plan; switch GLM_REGION, or enable the model in the console`,
    ];
  if (
    err instanceof PermissionDeniedError ||
    err instanceof QuotaExceededError ||
    err instanceof RateLimitError
  )
    return [
      "not in your plan",
      "Your plan does not cover this API (or its quota is used up): enable it in the GLM console, or wait for the quota window",
    ];
  if (err instanceof WrongEndpointError)
    return [
      "unreachable",
      "The URL is not a GLM API endpoint: fix GLM_BASE_URL (…/api/paas/v4) / GLM_CODING_PLAN",
    ];
  if (err instanceof ConnectionError || err instanceof TimeoutError || err instanceof RealtimeConnectError)
    return [
      "unreachable",
      "Could not reach GLM: check the network, HTTPS_PROXY / NO_PROXY, and GLM_BASE_URL / GLM_REALTIME_URL",
    ];
  return ["failed", "GLM refused the probe: read GLM's message below"];
}

export function formatLive(checks: readonly LiveCheck[]): string {
  const w = (k: "tools" | "status") => Math.max(...checks.map((c) => c[k].length));
  const tw = w("tools");
  const sw = w("status");
  return (
    [
      "Live checks (one minimal request per capability):",
      ...checks.map(
        (c) =>
          `  ${c.tools.padEnd(tw)}  → ${c.endpoint}\n  ${"".padEnd(tw)}    ${c.status.padEnd(sw)}  ${c.detail}`,
      ),
      liveOk(checks)
        ? "Every capability probed works."
        : `${checks.filter((c) => c.status !== "works" && c.status !== "skipped").length} capability check(s) failed.`,
    ].join("\n") + "\n"
  );
}

/** Whether the live table passes (a skipped probe is not a failure). */
export function liveOk(checks: readonly LiveCheck[]): boolean {
  return checks.every((c) => c.status === "works" || c.status === "skipped");
}
