// web_search's other argument names: the Web Search API's own fields (which Z.AI's remote search
// MCP server also uses), and what search libraries call them (`q`, `max_results`, `site`, …).
import type { AliasTable } from "./normalize.js";

export const webSearchAliases: AliasTable = {
  names: {
    search_query: "query",
    q: "query",
    search: "query",
    question: "query",
    keywords: "query",
    search_engine: "engine",
    provider: "engine",
    num_results: "count",
    max_results: "count",
    results: "count",
    limit: "count",
    top_k: "count",
    k: "count",
    n: "count",
    search_domain_filter: "domain",
    domain_filter: "domain",
    include_domains: "domain",
    site: "domain",
    website: "domain",
    search_recency_filter: "recency",
    recency_filter: "recency",
    time_range: "recency",
    freshness: "recency",
    search_intent: "intent",
  },
};
