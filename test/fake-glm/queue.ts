// Scripted queues: faults (optionally per path) and answers, each entry used `times` times in order.

interface Entry<T> {
  value: T;
  remaining: number;
  path?: string;
}

export class ScriptQueue<T> {
  private entries: Entry<T>[] = [];

  push(value: T, times = 1, path?: string): void {
    if (!(times > 0)) throw new Error(`times must be > 0 (got ${times})`);
    this.entries.push({ value, remaining: times, path });
  }

  /** Takes the first entry whose path matches (a suffix of the request path), if any. */
  take(requestPath = ""): T | undefined {
    const i = this.entries.findIndex((e) => e.path === undefined || requestPath.endsWith(e.path));
    const entry = this.entries[i];
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) this.entries.splice(i, 1);
    return entry.value;
  }

  clear(): void {
    this.entries = [];
  }
}
