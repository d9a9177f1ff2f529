// POST /rerank (openapi path /paas/v4/rerank, line 1136; RerankRequest line 8219, RerankResponse
// line 8275).
//
// Choices where the spec leaves room (documented so tests can rely on them):
// - Limits "最多容纳 128 条", "单条最大长度为 4096 字符", query "最大长度为 4096 字符" (characters
//   = code points) and empty query/documents are 1214 on the field; top_n < 0 is 1214.
// - relevance_score is deterministic word overlap: the share of the query's distinct words (CJK
//   characters count as words) found in the document, plus a tiny length tie-breaker so shorter
//   documents with the same overlap rank first. top_n 0 (default) returns all, best first.
// - `document` is always returned: the response schema marks it required.
// - Not a coding-plan model: 1211 on /api/coding/paas/v4 like the embeddings.
import { newId } from "./answer.js";
import { invalidField, missingField, unknownModel } from "./errors.js";
import { checkAgainstSpec } from "./spec.js";
import { estimateTokens } from "./tokens.js";
import { absent } from "./validate.js";

export const RERANK_MAX = { documents: 128, chars: 4096 } as const;

export function rerankResponse(
  body: Record<string, unknown>,
  opts: { coding?: boolean } = {},
): Record<string, unknown> {
  if (absent(body.model)) throw missingField("model");
  if (body.model !== "rerank" || opts.coding) throw unknownModel(String(body.model));
  checkAgainstSpec("rerank", body);
  const query = body.query as string;
  const documents = body.documents as string[];
  const chars = (s: string) => [...s].length;
  if (!query.trim()) throw invalidField("query", "不能为空");
  if (chars(query) > RERANK_MAX.chars) throw invalidField("query", `最大长度为 ${RERANK_MAX.chars} 字符`);
  if (documents.length === 0) throw invalidField("documents", "不能为空数组");
  if (documents.length > RERANK_MAX.documents)
    throw invalidField("documents", `最多容纳 ${RERANK_MAX.documents} 条，本次 ${documents.length} 条`);
  const long = documents.findIndex((d) => chars(d) > RERANK_MAX.chars);
  if (long >= 0) throw invalidField(`documents[${long}]`, `单条最大长度为 ${RERANK_MAX.chars} 字符`);
  const empty = documents.findIndex((d) => !d.trim());
  if (empty >= 0) throw invalidField(`documents[${empty}]`, "不能为空");
  const topN = (body.top_n as number | undefined) ?? 0;
  if (topN < 0) throw invalidField("top_n", "不能小于 0");

  const wanted = new Set(words(query));
  const scored = documents
    .map((document, index) => {
      const have = new Set(words(document));
      const hits = [...wanted].filter((w) => have.has(w)).length;
      const score = hits / Math.max(1, wanted.size) + 1e-4 / (1 + chars(document) / 100);
      return { document, index, relevance_score: Math.round(score * 1e8) / 1e8 };
    })
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  const tokens =
    estimateTokens(query) * documents.length + documents.reduce((n, d) => n + estimateTokens(d), 0);
  return {
    created: Math.floor(Date.now() / 1000),
    id: newId(),
    request_id: typeof body.request_id === "string" ? body.request_id : newId(),
    results: topN > 0 ? scored.slice(0, topN) : scored,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{Script=Han}]|[\p{L}\p{N}_]+/gu) ?? [];
}
