// POST /web_search and POST /reader (the platform's 工具 API; openapi-2026-07-11.json paths
// /paas/v4/web_search and /paas/v4/reader). Bodies are checked against WebSearchRequest and
// ReaderRequest first (1213 missing, 1214 illegal), then the rules the spec states in prose.
// Answers have the spec's response shapes, with content derived from the query or URL only, so
// tests can assert on it.
//
// Choices where the spec leaves room (documented so tests can rely on them):
// - An empty or blank search_query is 1214 (no minLength in the schema, but nothing to search).
// - search_pro_sogou takes count 10/20/30/40/50 only (the count description): other values are 1214.
// - search_pro_quark ignores count (10 results) and search_domain_filter (not in their supported
//   engines); the other engines honour both.
// - ReaderRequest.return_format has no enum ("markdown、text 等"): the fake takes those two, else 1214.
// - A reader url that is not an absolute http(s) URL is 1214 on `url`; timeout < 1 is 1214.
// - Reader pages: `?size=N` in the URL makes the page N characters long (else ~1.2k); a path of
//   /empty gives a page with no content.
import { createHash } from "node:crypto";
import { invalidField } from "./errors.js";
import { checkAgainstSpec } from "./spec.js";

const DAY_S = 86_400;
/** The fake's "now" for publish dates (deterministic: 2026-07-11, the spec's date). */
const NOW_S = Date.UTC(2026, 6, 11) / 1000;
const RECENCY_DAYS: Record<string, number> = { oneDay: 1, oneWeek: 7, oneMonth: 30, oneYear: 365 };

const digest = (s: string) => createHash("sha256").update(s).digest("hex");
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9\u4e00-\u9fff]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "q";

export function webSearchResponse(body: Record<string, unknown>): Record<string, unknown> {
  checkAgainstSpec("webSearch", body);
  const query = body.search_query as string;
  if (query.trim() === "") throw invalidField("search_query", "不能为空");
  const engine = body.search_engine as string;
  const count = body.count as number | undefined;
  if (engine === "search_pro_sogou" && count !== undefined && count % 10 !== 0)
    throw invalidField("count", "search_pro_sogou 可选值：10、20、30、40、50");
  const quark = engine === "search_pro_quark";
  const n = quark ? 10 : (count ?? 10);
  const domain = quark ? undefined : (body.search_domain_filter as string | undefined);
  const days = RECENCY_DAYS[(body.search_recency_filter as string | undefined) ?? "noLimit"] ?? 3650;
  const high = body.content_size === "high";
  const id = digest(JSON.stringify(body)).slice(0, 20);

  let intent = { query, intent: "SEARCH_ALWAYS", keywords: query };
  if (body.search_intent === true) {
    const none = /^(hi|hello|thanks|thank you|你好|谢谢)\W*$/i.test(query.trim());
    intent = { query, intent: none ? "SEARCH_NONE" : "SEARCH_ALL", keywords: query.trim().toLowerCase() };
  }
  const results =
    intent.intent === "SEARCH_NONE"
      ? []
      : Array.from({ length: n }, (_, i) => {
          const host = domain ?? `site${(parseInt(digest(query + i).slice(0, 4), 16) % 7) + 1}.example.com`;
          const base = `Result ${i + 1} about ${query} from ${engine}.`;
          const content = high ? `${base} ${"Detailed extract of the page. ".repeat(60)}`.trim() : base;
          return {
            title: `${query} — result ${i + 1}`,
            content,
            link: `https://${host}/${slug(query)}/${i + 1}`,
            media: host,
            icon: `https://${host}/favicon.ico`,
            refer: `ref_${i + 1}`,
            publish_date: new Date((NOW_S - ((i * 7) % days) * DAY_S) * 1000).toISOString().slice(0, 10),
          };
        });
  return {
    id,
    created: NOW_S,
    request_id: id,
    search_intent: [intent],
    search_result: results,
  };
}

export function readerResponse(body: Record<string, unknown>): Record<string, unknown> {
  checkAgainstSpec("reader", body);
  let url: URL;
  try {
    url = new URL(body.url as string);
  } catch {
    throw invalidField("url", "必须是完整的 http(s) 地址");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw invalidField("url", "必须是完整的 http(s) 地址");
  const format = (body.return_format as string | undefined) ?? "markdown";
  if (format !== "markdown" && format !== "text")
    throw invalidField("return_format", "取值为 markdown、text");
  if (typeof body.timeout === "number" && body.timeout < 1) throw invalidField("timeout", "必须大于 0");

  const title = `Page ${url.host}${url.pathname}`;
  const images = body.retain_images !== false;
  const next = `https://${url.host}/next`;
  const figure = `https://${url.host}/figure.png`;
  let content = "";
  if (url.pathname !== "/empty") {
    const size = Number(url.searchParams.get("size") ?? "1200");
    const md = format === "markdown";
    const parts = [
      md ? `# ${title}` : title,
      `This is the fake reader's text for ${url.href}.`,
      md ? `See [the next page](${next}).` : "See the next page.",
      ...(images && md ? [`![figure](${figure})`] : []),
    ];
    content = parts.join("\n\n");
    let i = 0;
    while (content.length < size) content += `\n\nParagraph ${++i} of ${url.host}${url.pathname}.`;
    content = content.slice(0, Math.max(size, 0));
    if (body.with_links_summary === true) content += `\n\nLinks/Buttons:\n- [the next page](${next})`;
    if (body.with_images_summary === true && images) content += `\n\nImages:\n- ![figure](${figure})`;
  }
  const id = digest(JSON.stringify(body)).slice(0, 20);
  return {
    id,
    created: NOW_S,
    request_id: id,
    model: "reader",
    reader_result: {
      content,
      description: `A page of ${url.host}`,
      title,
      url: url.href,
      external: {},
      metadata: { description: `A page of ${url.host}`, viewport: "width=device-width" },
    },
  };
}
