// Every stdio line is parsed and checked here, once. The SDK's stdio reader dropped a line that is
// not a valid JSON-RPC message (it only logged it), so a client that sent a malformed request waited
// for its own timeout: here a line that names an id is answered with the JSON-RPC error for that id
// (JSON-RPC 2.0 §5.1: -32700 parse error, -32600 invalid request, -32602 invalid params).
import { ErrorCode, JSONRPCMessageSchema, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { isWellFormedRequest } from "./jsonrpc-shape.js";
import { rawTopLevelId, topLevelId, type RequestId } from "./line-cap.js";

const isId = (v: unknown): v is RequestId =>
  typeof v === "string" || (typeof v === "number" && Number.isSafeInteger(v));

const refusal = (id: RequestId, code: number, message: string): JSONRPCMessage =>
  ({ jsonrpc: "2.0", id, error: { code, message } }) as JSONRPCMessage;

/** Why one parsed message is not a request the server can take, with the code to answer. */
function whatIsWrong(m: Record<string, unknown>): { code: number; message: string } {
  if (m.jsonrpc !== "2.0")
    return { code: ErrorCode.InvalidRequest, message: 'Invalid Request: jsonrpc must be "2.0"' };
  if (!("method" in m))
    return { code: ErrorCode.InvalidRequest, message: "Invalid Request: a request needs a method" };
  if (typeof m.method !== "string")
    return { code: ErrorCode.InvalidRequest, message: "Invalid Request: method must be a string" };
  if (
    m.params !== undefined &&
    (typeof m.params !== "object" || m.params === null || Array.isArray(m.params))
  )
    return { code: ErrorCode.InvalidParams, message: "Invalid params: MCP params must be an object" };
  return { code: ErrorCode.InvalidRequest, message: "Invalid Request: not a valid JSON-RPC 2.0 request" };
}

/**
 * One input line: the message to hand the server, or the answers owed for a line it cannot take.
 * A refusal given as a string is a serialized line: its id is echoed as written (see unsafeIdRefusal).
 */
export type Screened = { message: JSONRPCMessage } | { refusals: (JSONRPCMessage | string)[] };

/**
 * Parses and checks one input line once: a valid message is returned for the server as is (its
 * transport reads nothing again), anything else gets the errors to send (possibly none, when
 * nothing in it names an id).
 */
export function screenLine(line: string): Screened {
  if (line.trim() === "") return { refusals: [] };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    const id = topLevelId(line);
    return {
      refusals:
        id === undefined
          ? []
          : [refusal(id, ErrorCode.ParseError, "Parse error: the line is not valid JSON")],
    };
  }
  if (isWellFormedRequest(value) || JSONRPCMessageSchema.safeParse(value).success)
    return { message: value as JSONRPCMessage };
  return { refusals: refusalsFor(value, line) };
}

/**
 * A numeric id that is not a safe integer (1.5, 1e308, 9007199254740993): the SDK drops such a
 * request, so the client would wait forever. It is refused with its id copied from the line as
 * written, since JSON.parse may have rounded it.
 */
function unsafeIdRefusal(line: string): string {
  const raw = rawTopLevelId(line);
  const error = {
    code: ErrorCode.InvalidRequest,
    message: "Invalid Request: a numeric id must be an integer between -(2^53 - 1) and 2^53 - 1",
  };
  return `{"jsonrpc":"2.0","id":${raw ?? "null"},"error":${JSON.stringify(error)}}`;
}

function refusalsFor(value: unknown, line: string): (JSONRPCMessage | string)[] {
  if (Array.isArray(value)) {
    // MCP (2025-06-18) removed JSON-RPC batches; each request in one still gets its answer.
    return value
      .filter(
        (m): m is { id: RequestId } => typeof m === "object" && m !== null && isId(m.id) && "method" in m,
      )
      .map((m) =>
        refusal(m.id, ErrorCode.InvalidRequest, "Invalid Request: send one message per line, not a batch"),
      );
  }
  if (typeof value !== "object" || value === null) return [];
  const m = value as Record<string, unknown>;
  if (typeof m.id === "number" && !Number.isSafeInteger(m.id) && "method" in m)
    return [unsafeIdRefusal(line)];
  // A malformed response from the client is not ours to answer.
  if (!isId(m.id) || (!("method" in m) && ("result" in m || "error" in m))) return [];
  const { code, message } = whatIsWrong(m);
  return [refusal(m.id, code, message)];
}
