// Prompts named after the official Z.AI server's task tools, with that tool's own arguments, so a user
// moving from @z_ai/mcp-server finds each one in the prompts list. Each fills a vision_analyze call
// with the matching `task`; the hint arguments are appended the way the official tools append them
// (build/tools/*.js of @z_ai/mcp-server 0.1.5).
import { z } from "zod";
import { VISION_ANALYZE } from "../../tools/vision-analyze.js";
import { VISION_TASK_SPECS, type VisionTask } from "../../tools/vision-tasks.js";
import type { PromptSpec } from "./catalog.js";

type PromptArgs = Record<string, string | undefined>;

const IMAGE =
  "The image: a file path, an http(s) URL, or a data: URI (as the official server's image_source).";
const ASK = "Optional: what you want from the image (the task's default request otherwise).";
const opt = (d: string) => z.string().optional().describe(d);

/** The user prompt: the request, then each given hint as one sentence. */
function withHints(request: string | undefined, hints: (string | false | undefined)[]): string | undefined {
  const parts = [request?.trim(), ...hints].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join("\n\n") : undefined;
}

function official(
  task: VisionTask,
  title: string,
  hint: { arg: string; describe: string; sentence: (v: string) => string } | undefined,
): PromptSpec {
  const spec = VISION_TASK_SPECS[task];
  return {
    name: spec.official,
    title,
    description: `The official Z.AI server's ${spec.official} tool: ${spec.defaultPrompt}`,
    tool: VISION_ANALYZE,
    args: {
      image_source: z.string().min(1).describe(IMAGE),
      prompt: opt(ASK),
      ...(hint ? { [hint.arg]: opt(hint.describe) } : {}),
    },
    toolArgs: (a: PromptArgs) => ({
      image: a.image_source,
      task,
      prompt: withHints(a.prompt, [hint && a[hint.arg] && hint.sentence(a[hint.arg]!)]),
    }),
    followUp: "Report GLM's answer, and act on it where the task at hand needs it.",
  };
}

const ARTIFACTS = {
  code: "Generate frontend code that reproduces this UI.",
  prompt: "Write a prompt another AI could use to recreate this UI.",
  spec: "Write a design specification of this UI (layout, components, design tokens).",
  description: "Describe this UI in natural language.",
} as const;

export const OFFICIAL_PROMPTS: readonly PromptSpec[] = [
  {
    ...official("ui_to_artifact", "UI screenshot to code, prompt, spec or description", undefined),
    args: {
      image_source: z.string().min(1).describe(IMAGE),
      output_type: z
        .enum(["code", "prompt", "spec", "description"])
        .optional()
        .describe("Optional: code (default), prompt, spec or description."),
      prompt: opt(ASK),
    },
    toolArgs: (a: PromptArgs) => ({
      image: a.image_source,
      task: "ui_to_artifact",
      prompt: withHints(ARTIFACTS[(a.output_type ?? "code") as keyof typeof ARTIFACTS], [a.prompt]),
    }),
  },
  official("extract_text", "Extract text from a screenshot (OCR)", {
    arg: "programming_language",
    describe: "Optional: the programming language if the screenshot shows code (e.g. python).",
    sentence: (v) => `The code is in ${v}.`,
  }),
  official("diagnose_error", "Diagnose an error screenshot", {
    arg: "context",
    describe: "Optional: when the error occurred (e.g. during npm install, after deployment).",
    sentence: (v) => `This error occurred ${v}.`,
  }),
  official("technical_diagram", "Understand a technical diagram", {
    arg: "diagram_type",
    describe: "Optional: the diagram type if known (architecture, flowchart, uml, er-diagram, sequence).",
    sentence: (v) => `This is a ${v} diagram.`,
  }),
  official("data_visualization", "Analyze a chart or dashboard", {
    arg: "analysis_focus",
    describe: "Optional: what to focus on (trends, anomalies, comparisons, performance metrics).",
    sentence: (v) => `Focus particularly on: ${v}.`,
  }),
  {
    ...official("ui_diff", "Compare an expected UI with the actual one", undefined),
    args: {
      expected_image_source: z.string().min(1).describe(`The expected/reference design. ${IMAGE}`),
      actual_image_source: z.string().min(1).describe(`The actual implementation. ${IMAGE}`),
      prompt: opt(ASK),
    },
    toolArgs: (a: PromptArgs) => ({
      images: [a.expected_image_source, a.actual_image_source],
      task: "ui_diff",
      prompt: withHints(a.prompt, []),
    }),
  },
];
