// The client's MCP roots (roots/list), resolved here in the server layer and handed to the media
// layer as plain directories: media/ never speaks the protocol.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ClientRoots } from "../media/policy.js";
import { resolveLocalPath } from "../media/sources.js";

const ROOTS_TIMEOUT_MS = 3_000;

/**
 * The client's file:// roots as directories. A client without the roots capability, or one that
 * lists an explicitly EMPTY set, gets no restriction beyond --allow-dir (today's behaviour).
 * Failing open is the danger here ([] means "anywhere"), so a declared capability whose list
 * cannot be fetched, or whose roots are all unusable, comes back as `unreadable` instead.
 */
export async function clientRoots(server: McpServer | undefined, signal?: AbortSignal): Promise<ClientRoots> {
  const inner = server?.server;
  if (!inner?.getClientCapabilities()?.roots) return { dirs: [] };
  let listed: { uri: string }[];
  try {
    listed = (await inner.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS, ...(signal ? { signal } : {}) }))
      .roots;
  } catch (err) {
    return {
      dirs: [],
      unreadable: `the client declared MCP roots but listing them failed (${rootsFailure(err)})`,
    };
  }
  if (listed.length === 0) return { dirs: [] };
  const dirs: string[] = [];
  for (const root of listed) {
    if (!/^file:\/\//i.test(root.uri)) continue;
    // One bad root (e.g. file://fileserver/share on Linux, which has no UNC paths) is skipped alone.
    try {
      dirs.push(resolveLocalPath(root.uri));
    } catch {
      continue;
    }
  }
  if (dirs.length === 0) {
    return {
      dirs,
      unreadable: `the client declared MCP roots but none of them is a folder on this machine (${listed
        .map((r) => r.uri)
        .join(", ")
        .slice(0, 200)})`,
    };
  }
  return { dirs };
}

/** A short reason for a failed roots/list: never a multi-line schema dump. */
function rootsFailure(err: unknown): string {
  if (!(err instanceof Error)) return "no usable answer";
  if (/timed? ?out/i.test(err.message)) return `no answer within ${ROOTS_TIMEOUT_MS / 1000} s`;
  if (err.name === "ZodError" || err.message.trimStart().startsWith("["))
    return "its answer is not a valid roots list";
  return (
    (err.message.replace(/^MCP error -?\d+: /, "").split("\n")[0] ?? "").slice(0, 120) || "no usable answer"
  );
}
