// web_search: the platform's Web Search API (POST /web_search) as a compact list of results an agent
// can read (title, url, snippet, site, date), the way Z.AI's remote search MCP server offers it.
import { z } from "zod";
import {
  CONTENT_SIZES,
  MAX_SEARCH_COUNT,
  MAX_SEARCH_QUERY_CHARS,
  RECENCY_FILTERS,
  SEARCH_ENGINES,
  searchRequest,
  webSearch,
} from "../glm/web.js";
import { renderHits, shrinkHits, toHits } from "../output/web.js";
import { webSearchAliases } from "./aliases/web-search.js";
import { defineTool } from "./define-tool.js";

export const WEB_SEARCH = "web_search";
const DEFAULT_ENGINE = "search_std";
const DEFAULT_COUNT = 10;

export const webSearchInput = {
  query: z
    .string()
    .trim()
    .min(1, "query is empty: say what to search for")
    .max(
      MAX_SEARCH_QUERY_CHARS,
      `query is longer than ${MAX_SEARCH_QUERY_CHARS} characters, GLM's limit for a search: keep the key terms only`,
    )
    .describe(
      `What to search the web for (at most ${MAX_SEARCH_QUERY_CHARS} characters: key terms, not a question essay).`,
    ),
  engine: z
    .enum(SEARCH_ENGINES)
    .optional()
    .describe(
      `Search engine (default ${DEFAULT_ENGINE}): search_std (Zhipu basic), search_pro (Zhipu advanced), search_pro_sogou (Sogou), search_pro_quark (Quark; takes no count or domain).`,
    ),
  count: z
    .number()
    .int()
    .min(1)
    .max(MAX_SEARCH_COUNT)
    .optional()
    .describe(`How many results (1–${MAX_SEARCH_COUNT}, default ${DEFAULT_COUNT}).`),
  domain: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9.-]+$/i, "domain must be a host name such as docs.python.org (no scheme or path)")
    .optional()
    .describe("Only results from this site, e.g. docs.python.org (a host name, no scheme or path)."),
  recency: z
    .enum(RECENCY_FILTERS)
    .optional()
    .describe("Only pages from the last oneDay, oneWeek, oneMonth or oneYear (default noLimit)."),
  content_size: z
    .enum(CONTENT_SIZES)
    .optional()
    .describe("Snippet length: medium (default, a summary) or high (long extracts; more context used)."),
  intent: z
    .boolean()
    .optional()
    .describe(
      "Let GLM first decide whether the query needs a search and rewrite it (default false: always search as given).",
    ),
};

const hit = z.object({
  title: z.string(),
  url: z.string(),
  snippet: z.string(),
  site: z.string().optional(),
  date: z.string().optional(),
});

export const webSearchOutput = {
  query: z.string(),
  engine: z.string(),
  results: z.array(hit).describe("Most relevant first, as GLM ranked them."),
  intent: z
    .array(z.object({ query: z.string(), intent: z.string(), keywords: z.string() }))
    .optional()
    .describe("GLM's reading of the query (with intent: true): SEARCH_ALL, SEARCH_NONE or SEARCH_ALWAYS."),
  note: z.string().optional(),
};

const webSearchConfig = {
  title: "Search the web with GLM",
  description: [
    "Search the web through Zhipu's Web Search API and get a compact list of results: title, url, snippet, site and date.",
    "Use when: you need current facts, docs, release notes, error messages or pages you do not have; narrow with domain (one site) and recency. Follow up with web_read on a result's url to read the whole page.",
    "Do not use for: reading a page you already have the URL of (web_read), questions about local files or code (grep, glm_reason).",
    "Cost/latency: one paid Web Search call per use (billed per call by the platform, not per token); 1–5 s. Progress notifications are sent.",
  ].join("\n"),
  inputSchema: webSearchInput,
  outputSchema: webSearchOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true, destructiveHint: false },
};

export const webSearchTool = defineTool({
  name: WEB_SEARCH,
  calls: ["web"],
  config: webSearchConfig,
  aliases: webSearchAliases,
  usageModel: (args) => args.engine ?? DEFAULT_ENGINE,
  async run(args, call) {
    const engine = args.engine ?? DEFAULT_ENGINE;
    const want = args.count ?? DEFAULT_COUNT;
    const { body, notes } = searchRequest({
      query: args.query,
      engine,
      count: want,
      countGiven: args.count !== undefined,
      domain: args.domain,
      recency: args.recency,
      contentSize: args.content_size,
      intent: args.intent,
    });
    call.progress.now(`searching the web (${engine}) for "${args.query}"`);
    const { signal, onRetry } = call;
    const res = await webSearch(call.ctx.glm, body, { ...(signal ? { signal } : {}), onRetry });
    call.ctx.usage.record(engine, undefined);

    const hits = shrinkHits(args.query, toHits(res?.search_result, want));
    const intent = (Array.isArray(res?.search_intent) ? res.search_intent : []).map((i) => ({
      query: String(i?.query ?? args.query),
      intent: String(i?.intent ?? ""),
      keywords: String(i?.keywords ?? ""),
    }));
    if (hits.length === 0 && intent.some((i) => i.intent === "SEARCH_NONE"))
      notes.push(
        "GLM judged that the query needs no web search (intent SEARCH_NONE): call again with intent false.",
      );
    const text = [renderHits(args.query, hits), ...notes].join("\n\n");
    return {
      content: [{ type: "text", text }],
      structuredContent: {
        query: args.query,
        engine,
        results: hits,
        ...(args.intent ? { intent } : {}),
        ...(notes.length ? { note: notes.join(" ") } : {}),
      },
    };
  },
});
