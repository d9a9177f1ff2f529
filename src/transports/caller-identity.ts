// Who may cancel a call over stateless streamable HTTP. The notifications/cancelled arrives in a
// different POST, usually on a different TCP connection (HTTP/1.1 cannot send it on the socket that
// carries the SSE answer), so neither the connection nor the address identifies the caller: every
// local client shares 127.0.0.1, and all of them share the Authorization header when there is one
// token or none. What does identify it is an Mcp-Session-Id the server issues on initialize: 144
// random bits that only that client sees, and that the MCP spec says it MUST send on every later
// request. The id is a capability, not server state (nothing is stored per session, any replica
// accepts it), so the server stays stateless. A caller without one cannot cancel by notification;
// closing its own connection still aborts its call.
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const SESSION_HEADER = "mcp-session-id";

/** A fresh, unguessable session id (visible ASCII, as the spec requires). */
export function issueSessionId(): string {
  return randomBytes(18).toString("base64url");
}

/** Only ids the server could have issued count: 24 base64url characters. */
const ISSUED_SHAPE = /^[A-Za-z0-9_-]{24}$/;

/**
 * The caller's key for the in-flight registry: its session id with its Authorization (so a leaked
 * id is useless without the token), or undefined when it sent no session id the server could issue.
 */
export function callerKey(req: IncomingMessage): string | undefined {
  const sessionId = req.headers[SESSION_HEADER];
  if (typeof sessionId !== "string" || !ISSUED_SHAPE.test(sessionId)) return undefined;
  return createHash("sha256")
    .update(`${sessionId}\n${req.headers.authorization ?? ""}`)
    .digest("hex")
    .slice(0, 32);
}
