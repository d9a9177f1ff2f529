// One McpServer for the whole HTTP process (tool definitions, schemas and validators built once)
// instead of one per POST. Each POST keeps its own SDK transport (which speaks the HTTP side: Accept,
// Content-Type, protocol version, SSE or JSON), and its requests are routed through the shared
// server under ids of their own, so two clients using the same id never meet; answers and
// notifications go back to the POST they belong to, with the client's id restored.
// Only stateless methods are routed here (see SHARED_METHODS): `initialize` and anything that
// would leave per-client state in a server keep a server of their own (http.ts).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from "@modelcontextprotocol/sdk/types.js";

/** Requests that read or call and leave nothing behind in the server that answered them. */
export const SHARED_METHODS: ReadonlySet<string> = new Set([
  "tools/call",
  "tools/list",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "prompts/list",
  "prompts/get",
  "completion/complete",
  "ping",
]);

interface Owner {
  post: Transport;
  id: RequestId;
}

/** The routes of one POST: cancel one of its requests, or all of them (client gone). */
export interface PostRoute {
  cancel(id: RequestId, reason: string): void;
  close(reason: string): void;
}

/** A Transport the shared server is connected to; each POST's messages come in through `open`. */
export class SharedServerRouter implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private next = 0;
  private readonly owners = new Map<string, Owner>();

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.owners.clear();
    this.onclose?.();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if ("id" in message && ("result" in message || "error" in message)) {
      const owner = this.owners.get(String(message.id));
      if (!owner) return; // cancelled, or its client went away
      this.owners.delete(String(message.id));
      await owner.post.send({ ...message, id: owner.id }).catch((e: Error) => this.onerror?.(e));
      return;
    }
    // Notifications (and server requests) tied to a call go to that call's POST; stateless HTTP has
    // no stream for anything else.
    const related = options?.relatedRequestId;
    const owner = related === undefined ? undefined : this.owners.get(String(related));
    if (!owner) return;
    await owner.post
      .send(message, { ...options, relatedRequestId: owner.id })
      .catch((e: Error) => this.onerror?.(e));
  }

  /** Routes the messages `post` receives through the shared server. */
  open(post: Transport): PostRoute {
    const mine = new Map<RequestId, string>(); // the client's id -> the shared server's
    post.onmessage = (message, extra) => {
      if ("method" in message && "id" in message) {
        const internal = `h${++this.next}`;
        this.owners.set(internal, { post, id: message.id });
        mine.set(message.id, internal);
        this.onmessage?.({ ...message, id: internal }, extra);
      }
      // Notifications and responses on a routed POST: none are stateless-safe to share except
      // cancellation, which http.ts handles before routing.
    };
    const cancel = (id: RequestId, reason: string) => {
      const internal = mine.get(id);
      if (internal === undefined || !this.owners.delete(internal)) return;
      this.onmessage?.({
        jsonrpc: "2.0",
        method: "notifications/cancelled",
        params: { requestId: internal, reason },
      });
    };
    return {
      cancel,
      close: (reason) => {
        for (const id of mine.keys()) cancel(id, reason);
      },
    };
  }
}

/** Connects `server` to a router; the server then answers every routed POST. */
export async function shareServer(server: McpServer): Promise<SharedServerRouter> {
  const router = new SharedServerRouter();
  await server.connect(router);
  return router;
}
