// Stateless HTTP has no sessions, so a notifications/cancelled arrives in a different POST (and so a
// different McpServer) than the call it cancels. This registry maps (client, request id) to the
// server handling it, so the cancel can abort that call. A client is its address plus its
// Authorization header; a cancel that matches more than one call cancels none.
import { createHash } from "node:crypto";

export class InflightCalls {
  private readonly calls = new Map<string, Set<() => void>>();

  static clientKey(remoteAddress: string | undefined, authorization: string | undefined): string {
    return createHash("sha256")
      .update(`${remoteAddress ?? ""}\n${authorization ?? ""}`)
      .digest("hex")
      .slice(0, 32);
  }

  /** Registers an abort for (client, id); returns the function that unregisters it. */
  add(client: string, id: string | number, abort: () => void): () => void {
    const key = `${client}:${typeof id}:${id}`;
    let set = this.calls.get(key);
    if (!set) this.calls.set(key, (set = new Set()));
    set.add(abort);
    return () => {
      set.delete(abort);
      if (set.size === 0) this.calls.delete(key);
    };
  }

  /** Aborts the one call matching (client, id); false when none or ambiguous. */
  cancel(client: string, id: string | number): boolean {
    const set = this.calls.get(`${client}:${typeof id}:${id}`);
    if (!set || set.size !== 1) return false;
    const [abort] = set;
    abort!();
    return true;
  }

  get size(): number {
    return this.calls.size;
  }
}
