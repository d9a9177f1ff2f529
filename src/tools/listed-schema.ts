// One tools/list entry, as the SDK would list it, but with the tool's canonical input schema (the
// frame registers a pass-through schema so aliases reach it; see define-tool.ts).
import type { RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { normalizeObjectSchema } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import { toJsonSchemaCompat } from "@modelcontextprotocol/sdk/server/zod-json-schema-compat.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z, type ZodRawShape } from "zod";
import { portableSchema } from "./portable-schema.js";

const schemaCache = new WeakMap<ZodRawShape, Tool["inputSchema"]>();

export function listedTool(name: string, inputShape: ZodRawShape, tool: RegisteredTool): Tool {
  let inputSchema = schemaCache.get(inputShape);
  if (!inputSchema) {
    inputSchema = portableSchema(
      toJsonSchemaCompat(z.object(inputShape), { strictUnions: true, pipeStrategy: "input" }),
    ) as Tool["inputSchema"];
    schemaCache.set(inputShape, inputSchema);
  }
  // Same keys in the same order as the SDK's own tools/list handler (mcp.js setToolRequestHandlers).
  const entry: Tool = {
    name,
    title: tool.title,
    description: tool.description,
    inputSchema,
    annotations: tool.annotations,
    execution: tool.execution,
    _meta: tool._meta,
  };
  const output = tool.outputSchema ? normalizeObjectSchema(tool.outputSchema) : undefined;
  if (output)
    entry.outputSchema = toJsonSchemaCompat(output, {
      strictUnions: true,
      pipeStrategy: "output",
    }) as Tool["outputSchema"];
  return entry;
}
