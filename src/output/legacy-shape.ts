// Results for clients that speak a protocol version before 2025-06-18. That version added
// structuredContent, outputSchema and resource_link content; older SDKs reject what they cannot
// parse (TS SDK 1.11 throws a ZodError on a resource_link). Before it, a link to a saved file becomes
// a text line naming the file's URI, type and size (readable with resources/read, which every
// version has), rather than an embedded resource: embedding would put whole WAV or .npy files into
// the client's context. structuredContent is dropped; the text content already says everything.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { formatBytes } from "../util/format.js";

/** The first protocol version with structuredContent, outputSchema and resource_link. */
export const STRUCTURED_SINCE = "2025-06-18";

/** True for a version older than STRUCTURED_SINCE (protocol versions are dates: they sort as text). */
export function isLegacyProtocol(version: string | undefined): boolean {
  return version !== undefined && version < STRUCTURED_SINCE;
}

type Block = CallToolResult["content"][number];

function linkAsText(link: Extract<Block, { type: "resource_link" }>): Block {
  const facts = [link.mimeType, typeof link.size === "number" ? formatBytes(link.size) : undefined]
    .filter(Boolean)
    .join(", ");
  const about = link.description ? `: ${link.description}` : "";
  return {
    type: "text",
    text: `Saved file ${link.uri}${facts ? ` (${facts})` : ""}${about}. Read it with resources/read.`,
  };
}

/** `result` in the shapes a pre-2025-06-18 client parses. */
export function legacyToolResult(result: CallToolResult): CallToolResult {
  const { structuredContent: _structured, ...rest } = result;
  return {
    ...rest,
    content: result.content.map((b) => (b.type === "resource_link" ? linkAsText(b) : b)),
  };
}
