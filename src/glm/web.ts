// The platform's Web Search and Reader APIs (its "工具 API"): POST /web_search and POST /reader on the
// standard endpoint. Wire shapes from the platform's OpenAPI spec (test/fake-glm/spec/
// openapi-2026-07-11.json, paths /paas/v4/web_search and /paas/v4/reader; components.schemas
// WebSearchRequest/WebSearchResponse and ReaderRequest/ReaderResponse).
import { ToolInputError } from "../errors.js";
import type { CallOptions, GlmClient } from "./client.js";

/** WebSearchRequest.search_engine's enum (CN spec; the Z.AI names are not in the vendored spec). */
export const SEARCH_ENGINES = ["search_std", "search_pro", "search_pro_sogou", "search_pro_quark"] as const;
export type SearchEngine = (typeof SEARCH_ENGINES)[number];
/** WebSearchRequest.search_recency_filter's enum. */
export const RECENCY_FILTERS = ["oneDay", "oneWeek", "oneMonth", "oneYear", "noLimit"] as const;
/** WebSearchRequest.content_size's enum. */
export const CONTENT_SIZES = ["medium", "high"] as const;
/** WebSearchRequest.search_query maxLength ("建议搜索 query 不超过 70 个字符"). */
export const MAX_SEARCH_QUERY_CHARS = 70;
/** WebSearchRequest.count: 1–50. */
export const MAX_SEARCH_COUNT = 50;
/** ReaderRequest.return_format: "markdown、text 等" (no enum in the spec; these two are documented). */
export const READER_FORMATS = ["markdown", "text"] as const;

export interface WebSearchRequest {
  search_query: string;
  search_engine: SearchEngine;
  /** Required by the spec (default false: skip intent recognition and always search). */
  search_intent: boolean;
  count?: number;
  search_domain_filter?: string;
  search_recency_filter?: (typeof RECENCY_FILTERS)[number];
  content_size?: (typeof CONTENT_SIZES)[number];
}

export interface WebSearchItem {
  title?: string;
  content?: string;
  link?: string;
  media?: string;
  icon?: string;
  refer?: string;
  publish_date?: string;
}

export interface WebSearchResponse {
  id?: string;
  created?: number;
  request_id?: string;
  search_intent?: { query?: string; intent?: string; keywords?: string }[];
  search_result?: WebSearchItem[];
}

export interface ReaderRequest {
  url: string;
  timeout?: number;
  no_cache?: boolean;
  return_format?: (typeof READER_FORMATS)[number];
  retain_images?: boolean;
  with_images_summary?: boolean;
  with_links_summary?: boolean;
}

export interface ReaderResponse {
  id?: string;
  created?: number;
  request_id?: string;
  model?: string;
  reader_result?: {
    content?: string;
    description?: string;
    title?: string;
    url?: string;
    metadata?: Record<string, unknown>;
  };
}

/**
 * Which engines honour `count` and `search_domain_filter` (the spec's "支持的搜索引擎" notes):
 * count on search_std, search_pro, search_pro_sogou (sogou only 10/20/30/40/50); the domain filter
 * on search_std, search_pro, search_pro_sogou. search_pro_quark takes neither.
 */
export function engineRules(engine: SearchEngine): { count: "any" | "tens" | "none"; domain: boolean } {
  if (engine === "search_pro_quark") return { count: "none", domain: false };
  if (engine === "search_pro_sogou") return { count: "tens", domain: true };
  return { count: "any", domain: true };
}

export interface SearchAsk {
  query: string;
  engine: SearchEngine;
  /** Results wanted (the engine may be sent another count: see engineRules). */
  count: number;
  countGiven: boolean;
  domain?: string | undefined;
  recency?: WebSearchRequest["search_recency_filter"];
  contentSize?: WebSearchRequest["content_size"];
  intent?: boolean | undefined;
}

/** The request body for what was asked, fitted to the engine's rules, and notes on what changed. */
export function searchRequest(a: SearchAsk): { body: WebSearchRequest; notes: string[] } {
  const rules = engineRules(a.engine);
  if (a.domain && !rules.domain)
    throw new ToolInputError(
      `${a.engine} cannot limit results to one site: drop domain or use search_std, search_pro or search_pro_sogou.`,
    );
  const notes: string[] = [];
  const body: WebSearchRequest = {
    search_query: a.query,
    search_engine: a.engine,
    search_intent: a.intent ?? false,
  };
  // Sogou takes 10/20/…/50 only: ask for the next ten (the caller keeps `count`).
  if (rules.count === "any") body.count = a.count;
  else if (rules.count === "tens") body.count = Math.min(MAX_SEARCH_COUNT, Math.ceil(a.count / 10) * 10);
  else if (a.countGiven) notes.push(`${a.engine} picks its own number of results; kept at most ${a.count}.`);
  if (a.domain) body.search_domain_filter = a.domain;
  if (a.recency) body.search_recency_filter = a.recency;
  if (a.contentSize) body.content_size = a.contentSize;
  return { body, notes };
}

export function webSearch(glm: GlmClient, body: WebSearchRequest, opts: CallOptions = {}) {
  return glm.postJson<WebSearchResponse>("/web_search", body, opts);
}

/** The reader fetches the page on GLM's side; `timeout` (s) is its own fetch limit. */
export function readPage(glm: GlmClient, body: ReaderRequest, opts: CallOptions = {}) {
  return glm.postJson<ReaderResponse>("/reader", body, opts);
}
