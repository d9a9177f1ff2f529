// Stateless HTTP has no sessions in memory, so a notifications/cancelled arrives in a different POST
// (and so a different McpServer) than the call it cancels. This registry maps (caller, request id)
// to the server handling it, so the cancel can abort that call. The caller key comes from
// caller-identity.ts (the issued Mcp-Session-Id, never the address); a cancel that matches more
// than one call cancels none.
export class InflightCalls {
  private readonly calls = new Map<string, Set<() => void>>();

  /** Registers an abort for (caller, id); returns the function that unregisters it. */
  add(caller: string, id: string | number, abort: () => void): () => void {
    const key = `${caller}:${typeof id}:${id}`;
    let set = this.calls.get(key);
    if (!set) this.calls.set(key, (set = new Set()));
    set.add(abort);
    return () => {
      set.delete(abort);
      if (set.size === 0) this.calls.delete(key);
    };
  }

  /** Aborts the one call matching (caller, id); false when none or ambiguous. */
  cancel(caller: string, id: string | number): boolean {
    const set = this.calls.get(`${caller}:${typeof id}:${id}`);
    if (!set || set.size !== 1) return false;
    const [abort] = set;
    abort!();
    return true;
  }

  get size(): number {
    return this.calls.size;
  }
}
