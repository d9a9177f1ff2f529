// Just enough Markdown reading for the tests that keep the docs true: fenced blocks with the
// heading they sit under, code spans, and the rows of a table found by its header.

export interface CodeBlock {
  lang: string;
  body: string;
  /** The nearest `## ` heading above the block ("" before the first one). */
  section: string;
}

/** Fenced code blocks (``` only), each with its language and the `## ` section it belongs to. */
export function codeBlocks(md: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let section = "";
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of md.split("\n")) {
    if (open) {
      if (/^\s*```\s*$/.test(line)) {
        blocks.push({ lang: open.lang, body: open.lines.join("\n"), section });
        open = undefined;
      } else open.lines.push(line);
      continue;
    }
    const fence = /^\s*```(\S*)\s*$/.exec(line);
    if (fence) open = { lang: fence[1]!, lines: [] };
    else if (line.startsWith("## ")) section = line.slice(3).trim();
  }
  return blocks;
}

/** The `## ` sections of a document: heading text → body (up to the next `## `). */
export function sections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  let heading = "";
  let body: string[] = [];
  let inFence = false;
  for (const line of md.split("\n")) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (!inFence && line.startsWith("## ")) {
      out.set(heading, body.join("\n"));
      heading = line.slice(3).trim();
      body = [];
    } else body.push(line);
  }
  out.set(heading, body.join("\n"));
  return out;
}

/** The contents of the `code spans` in a piece of Markdown (fenced blocks left out; a span may wrap). */
export function codeSpans(text: string): string[] {
  const prose = text.replace(/^\s*```[\s\S]*?^\s*```\s*$/gm, "");
  return [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s*\n\s*/g, " "));
}

/** Cells of a row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/**
 * The body rows (as cells) of every table whose header line matches `header`; the separator row is
 * skipped and the table ends at the first line that is not a row.
 */
export function tableRows(md: string, header: RegExp): string[][] {
  const rows: string[][] = [];
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!header.test(lines[i]!)) continue;
    for (let j = i + 2; j < lines.length && lines[j]!.trim().startsWith("|"); j++)
      rows.push(cells(lines[j]!));
  }
  return rows;
}
