// Web results sized for the client: a search is a compact numbered list (title, url, site/date,
// snippet) mirrored in structuredContent; a page is its markdown, cut to fit with the whole page
// saved to the output dir and linked.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ReaderResponse, WebSearchItem } from "../glm/web.js";
import { resourceLink } from "./files.js";
import { fitText, MAX_RESULT_TEXT_CHARS } from "./size.js";

export interface SearchHit {
  title: string;
  url: string;
  snippet: string;
  site?: string;
  date?: string;
}

/** Per-snippet share of the result budget when a long list must shrink (never below this). */
const MIN_SNIPPET_CHARS = 200;

/** GLM's items as hits; anything that is not an object, or a field that is not a string, is skipped. */
export function toHits(items: WebSearchItem[] | undefined, max: number): SearchHit[] {
  const list = Array.isArray(items) ? items : [];
  const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
  return list
    .filter((it) => typeof it === "object" && it !== null)
    .slice(0, max)
    .map((it) => ({
      title: str(it.title) || "(untitled)",
      url: str(it.link),
      snippet: str(it.content),
      ...(str(it.media) ? { site: str(it.media) } : {}),
      ...(str(it.publish_date) ? { date: str(it.publish_date) } : {}),
    }));
}

function renderHit(h: SearchHit, i: number): string {
  const meta = [h.site, h.date].filter(Boolean).join(" · ");
  return [`${i + 1}. ${h.title}`, `   ${h.url}`, ...(meta ? [`   ${meta}`] : []), `   ${h.snippet}`].join(
    "\n",
  );
}

export function renderHits(query: string, hits: SearchHit[]): string {
  if (hits.length === 0) return `No results for "${query}".`;
  return [
    `${hits.length} result${hits.length === 1 ? "" : "s"} for "${query}":`,
    ...hits.map(renderHit),
  ].join("\n\n");
}

/** Snippets cut so the whole list fits in `maxChars`; the list as given when it already does. */
export function shrinkHits(query: string, hits: SearchHit[], maxChars = MAX_RESULT_TEXT_CHARS): SearchHit[] {
  if (renderHits(query, hits).length <= maxChars) return hits;
  const overhead = renderHits(
    query,
    hits.map((h) => ({ ...h, snippet: "" })),
  ).length;
  const each = Math.max(MIN_SNIPPET_CHARS, Math.floor((maxChars - overhead) / Math.max(1, hits.length)) - 1);
  return hits.map((h) =>
    h.snippet.length > each ? { ...h, snippet: `${h.snippet.slice(0, each - 1)}…` } : h,
  );
}

export interface PageResult {
  content: CallToolResult["content"];
  structured: Record<string, unknown>;
}

/** The page as text (cut at maxChars, the whole page saved and linked) plus what GLM said about it. */
export async function pageResult(
  outputDir: string,
  o: { url: string; format: string; maxChars: number; response: ReaderResponse; notes: string[] },
): Promise<PageResult> {
  const r = o.response?.reader_result ?? {};
  const page = typeof r.content === "string" ? r.content : "";
  const fitted = await fitText(outputDir, page, "web-read", o.maxChars);
  const title = typeof r.title === "string" ? r.title.trim() : undefined;
  // The title as a heading unless the page already opens with it.
  const showTitle = title && !page.trimStart().startsWith(`# ${title}`);
  const head = [showTitle ? `# ${title}` : undefined, `Source: ${typeof r.url === "string" ? r.url : o.url}`]
    .filter(Boolean)
    .join("\n");
  const content: CallToolResult["content"] = [
    {
      type: "text",
      text: [head, fitted.text || "(the page has no readable content)", ...o.notes].join("\n\n"),
    },
  ];
  if (fitted.file) content.push(resourceLink(fitted.file, "Full text of the page"));
  return {
    content,
    structured: {
      url: typeof r.url === "string" ? r.url : o.url,
      ...(title ? { title } : {}),
      ...(typeof r.description === "string" && r.description ? { description: r.description } : {}),
      format: o.format,
      content: fitted.text,
      chars: page.length,
      truncated: fitted.truncated,
      ...(fitted.file
        ? {
            file: {
              uri: fitted.file.uri,
              path: fitted.file.path,
              name: fitted.file.name,
              bytes: fitted.file.bytes,
              mime_type: fitted.file.mimeType,
            },
          }
        : {}),
      ...(o.notes.length ? { note: o.notes.join(" ") } : {}),
    },
  };
}
