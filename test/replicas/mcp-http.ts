// A plain MCP-over-HTTP client for the replicas suite: POSTs with the session id issued at
// initialize (the key a cancel is matched with), answers read from JSON or SSE.
export interface ToolAnswer {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

export class McpHttp {
  private next = 0;
  private session: string | undefined;

  constructor(readonly url: string) {}

  static async open(url: string): Promise<McpHttp> {
    const c = new McpHttp(url);
    const res = await c.post({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "replicas", version: "1" },
      },
    });
    c.session = res.headers.get("mcp-session-id") ?? undefined;
    if (!c.session) throw new Error("initialize issued no Mcp-Session-Id");
    await res.text();
    return c;
  }

  /** The same session, sent to another address (a replica directly instead of the balancer). */
  at(url: string): McpHttp {
    const c = new McpHttp(url);
    c.session = this.session;
    c.next = this.next + 1_000;
    return c;
  }

  post(message: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
    return fetch(this.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
        ...(this.session ? { "mcp-session-id": this.session } : {}),
      },
      body: JSON.stringify(message),
      ...(signal ? { signal } : {}),
    });
  }

  nextId(): number {
    return ++this.next;
  }

  async request(
    method: string,
    params: Record<string, unknown>,
    id = this.nextId(),
    signal?: AbortSignal,
  ): Promise<unknown> {
    const res = await this.post({ jsonrpc: "2.0", id, method, params }, signal);
    const text = await res.text();
    const lines = res.headers.get("content-type")?.startsWith("text/event-stream")
      ? text.split("\n").flatMap((l) => (l.startsWith("data: ") ? [l.slice(6)] : []))
      : [text];
    for (const line of lines) {
      const m = JSON.parse(line) as { id?: number; result?: unknown; error?: { message: string } };
      if (m.id !== id) continue;
      if (m.error) throw new Error(`JSON-RPC error: ${m.error.message}`);
      return m.result;
    }
    throw new Error(`no answer to ${id} (HTTP ${res.status}): ${text.slice(0, 300)}`);
  }

  call(name: string, args: Record<string, unknown>, id?: number, signal?: AbortSignal): Promise<ToolAnswer> {
    return this.request("tools/call", { name, arguments: args }, id, signal) as Promise<ToolAnswer>;
  }

  async cancel(id: number): Promise<number> {
    const res = await this.post({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: id },
    });
    await res.text();
    return res.status;
  }

  async usage(): Promise<{
    scope: string;
    totals: { calls: number };
    models: Record<string, { calls: number }>;
  }> {
    const r = (await this.request("resources/read", { uri: "glm://usage" })) as {
      contents: { text: string }[];
    };
    return JSON.parse(r.contents[0]!.text);
  }
}

export const textOf = (a: ToolAnswer) => a.content.map((c) => c.text ?? "").join("\n");
