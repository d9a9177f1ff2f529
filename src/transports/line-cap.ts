// stdin for the stdio transport with a cap on one message. The SDK's line reader closes the whole
// transport (and so the server) when one line outgrows its buffer; here a line over the cap is
// dropped on its own, reported with the id read from its start, and the server keeps serving.
// An optional screen sees every line first and may hold it back (stdio-screen.ts).
import { Transform, type TransformCallback } from "node:stream";

export type RequestId = string | number;

/** Bytes kept from the start of an oversized line to find its "id". */
const HEAD_BYTES = 64 * 1024;

export class LineCap extends Transform {
  private parts: Buffer[] = [];
  private size = 0;
  private dropping = false;
  private head: Buffer | undefined;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onOversized: (id: RequestId | undefined, bytes: number) => void,
    /** Returns false to keep a line from the reader. */
    private readonly screen: (line: Buffer) => boolean = () => true,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      this.addPiece(chunk.subarray(start, end));
      if (nl === -1) break;
      this.endLine();
      start = nl + 1;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    // A last line without a newline is incomplete: the SDK reader would ignore it too.
    this.parts = [];
    done();
  }

  private addPiece(piece: Buffer): void {
    this.size += piece.length;
    if (this.dropping) return;
    if (this.size > this.maxLineBytes) {
      this.dropping = true;
      this.head = Buffer.concat(this.parts.concat(piece)).subarray(0, HEAD_BYTES);
      this.parts = [];
      return;
    }
    this.parts.push(piece);
  }

  private endLine(): void {
    if (this.dropping) {
      this.onOversized(topLevelId(this.head?.toString("utf8") ?? ""), this.size);
    } else {
      const line = Buffer.concat(this.parts);
      if (this.screen(line)) this.push(Buffer.concat([line, Buffer.from("\n")]));
    }
    this.parts = [];
    this.size = 0;
    this.dropping = false;
    this.head = undefined;
  }
}

/** The top-level "id" of a (possibly cut) JSON object text, if it appears in it. */
export function topLevelId(text: string): RequestId | undefined {
  const raw = rawTopLevelId(text);
  return raw === undefined ? undefined : (JSON.parse(raw) as RequestId);
}

/** The top-level "id" as written (a string literal or a number token), for echoing it exactly. */
export function rawTopLevelId(text: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === '"') {
      const from = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      if (depth !== 1 || text.slice(from, i + 1) !== '"id"') continue;
      const value =
        /^\s*:\s*("(?:[^"\\]|\\.){0,200}"|-?\d{1,20}(?:\.\d{1,20})?(?:[eE][+-]?\d{1,4})?)\s*[,}]/.exec(
          text.slice(i + 1, i + 300),
        );
      if (value) return value[1]!;
    }
  }
  return undefined;
}
