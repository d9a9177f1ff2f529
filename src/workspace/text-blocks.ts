// Files as labelled context blocks for GLM (path + line numbers), cut to a token budget so the
// text that leaves the machine is bounded and the cut is said, never silent.
import { estimateTokens, truncateToTokens } from "../embeddings/tokens.js";

/** Tokens that may still be spent on file text in this call. */
export class TokenBudget {
  private spent = 0;
  constructor(readonly total: number) {}

  get remaining(): number {
    return Math.max(0, this.total - this.spent);
  }

  get used(): number {
    return this.spent;
  }

  /** Marks the budget spent (after a cut, so later files are left out rather than squeezed in). */
  exhaust(): void {
    this.spent = Math.max(this.spent, this.total);
  }

  /** Counts `text` as sent. */
  spend(text: string): void {
    this.spent += estimateTokens(text);
  }
}

export interface Block {
  /** The block as sent: `<file path=… lines=…>` numbered lines `</file>`. */
  text: string;
  /** Lines sent (first–last, 1-based) and the file's line count. */
  first: number;
  last: number;
  totalLines: number;
  cut: boolean;
}

/**
 * Lines `from`–`to` (1-based, inclusive, clamped) of `text`, numbered, as one block that fits in
 * `maxTokens`; a block that does not fit whole keeps as many whole lines as fit.
 */
export function fileBlock(
  displayPath: string,
  text: string,
  maxTokens: number,
  from = 1,
  to = Infinity,
): Block {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const totalLines = lines.length;
  const first = Math.min(Math.max(1, from), Math.max(1, totalLines));
  const wanted = Math.min(totalLines, Math.max(first, to));
  const width = String(wanted).length;
  const head = (last: number, cut: boolean) =>
    `<file path="${displayPath.replace(/"/g, "'")}" lines="${first}-${last}" of="${totalLines}"${cut ? ' cut="true"' : ""}>\n`;
  const tail = "</file>";
  const overhead = estimateTokens(head(wanted, true) + tail) + 1;
  let room = maxTokens - overhead;
  let body = "";
  let last = first - 1;
  for (let n = first; n <= wanted; n++) {
    const line = `${String(n).padStart(width)}| ${lines[n - 1] ?? ""}\n`;
    const cost = estimateTokens(line);
    if (cost > room) {
      // One enormous line (minified code): send the part that fits, once, then stop.
      if (last < first && room > 16) {
        body += truncateToTokens(line, room) + "…\n";
        last = n;
      }
      break;
    }
    body += line;
    room -= cost;
    last = n;
  }
  const cut = last < wanted;
  return { text: head(Math.max(last, first), cut) + body + tail, first, last, totalLines, cut };
}
