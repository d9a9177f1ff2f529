// Prompts that hand GLM the code by path (glm_reason files + explore), so the agent never pastes it.
import { z } from "zod";
import { GLM_REASON } from "../../tools/glm-reason.js";
import type { PromptSpec } from "./catalog.js";

const paths = (list: string | undefined) =>
  (list ?? "")
    .split(/[\n,]+/)
    .map((p) => p.trim())
    .filter(Boolean);

export const CODE_PROMPTS: readonly PromptSpec[] = [
  {
    name: "review-changes",
    title: "Review changes with GLM reading the code",
    description:
      "Have GLM review changed files or a diff for bugs; the server sends the files and GLM opens whatever else it needs (read-only, inside the workspace).",
    tool: GLM_REASON,
    args: {
      paths: z
        .string()
        .min(1)
        .describe(
          "The changed files, folders or globs, or the path of a saved diff (comma- or newline-separated).",
        ),
      focus: z
        .string()
        .optional()
        .describe(
          "Optional: what to look for (e.g. error handling, concurrency, security, API compatibility).",
        ),
    },
    toolArgs: (a) => ({
      prompt: `Review these changes as a senior engineer${a.focus ? `, looking especially for: ${a.focus}` : ""}. Open whatever the changed code calls or is called by when you need it. For each problem give the file and line, why it is wrong, and the fix; say plainly when you find nothing serious.`,
      files: paths(a.paths),
      explore: true,
    }),
    followUp:
      "Check each finding against the code before acting on it; fix the real problems and say which findings you rejected and why.",
  },
  {
    name: "explain-module",
    title: "Explain a module with GLM reading it",
    description:
      "Have GLM read a module (a file or folder) and what it depends on, and explain how it works: purpose, main flow, key types, pitfalls.",
    tool: GLM_REASON,
    args: {
      module: z
        .string()
        .min(1)
        .describe("The module: a file or folder path inside the workspace, e.g. src/glm."),
      question: z.string().optional().describe("Optional: a specific question about it."),
    },
    toolArgs: (a) => ({
      prompt: `Explain the module ${a.module}: what it is for, its main flow, the key types and functions, how it handles errors, and anything surprising.${a.question ? ` In particular: ${a.question}` : ""} Open its imports when that helps; cite files and lines.`,
      files: [a.module],
      explore: true,
    }),
    followUp:
      "Use GLM's explanation to answer the user's question; quote file:line references where they help.",
  },
];
