// The server's end of stdio. Lines arrive already split (line-cap.ts), parsed and checked once
// (stdio-screen.ts); this hands each message to the server and writes each answer as one line.
// The SDK's StdioServerTransport would read the same bytes again: a second copy into its buffer,
// a second JSON.parse and a zod check of every message.
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

export class LineTransport implements Transport {
  onmessage?: Transport["onmessage"];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private closed = false;

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  async start(): Promise<void> {}

  /** A message from the client, in the order the lines came. */
  deliver(message: JSONRPCMessage): void {
    if (!this.closed) this.onmessage?.(message);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.out.write(JSON.stringify(message) + "\n")) resolve();
      else this.out.once("drain", () => resolve());
    });
  }

  /** A message already serialized (an id that must be echoed exactly as the client wrote it). */
  sendLine(line: string): void {
    if (!this.closed) this.out.write(line + "\n");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
