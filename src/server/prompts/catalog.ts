// Prompts for the common jobs. Each one fills a call of one tool: the agent receives a user message
// that names the tool and gives ready-to-send arguments, so picking the prompt is enough to start.
import { z } from "zod";
import { DOCUMENT_ANALYZE } from "../../tools/document-analyze.js";
import { EMBED_TEXT } from "../../tools/embed-text.js";
import { GLM_REASON } from "../../tools/glm-reason.js";
import { VIDEO_UNDERSTAND } from "../../tools/video-understand.js";
import { VISION_ANALYZE } from "../../tools/vision-analyze.js";
import { VISION_LOCATE } from "../../tools/vision-locate.js";
import { CODE_PROMPTS } from "./code-review.js";
import { OFFICIAL_PROMPTS } from "./official.js";

type PromptArgs = Record<string, string | undefined>;

export interface PromptSpec {
  name: string;
  title: string;
  description: string;
  /** The tool whose call this prompt fills; the prompt is offered only when that tool is registered. */
  tool: string;
  args: Record<string, z.ZodType<string | undefined>>;
  /** Tool arguments from the prompt's arguments. */
  toolArgs(a: PromptArgs): Record<string, unknown>;
  /** What the agent should do with the result. */
  followUp: string;
}

const req = (d: string) => z.string().min(1).describe(d);
const opt = (d: string) => z.string().optional().describe(d);
const IMAGE = "The image: a file path, an http(s) URL, or a data: URI.";
const withFocus = (base: string, focus?: string) => (focus ? `${base} Focus on: ${focus}.` : base);

export const PROMPTS: readonly PromptSpec[] = [
  {
    name: "describe-screenshot",
    title: "Describe a screenshot",
    description: "Have GLM vision describe a screenshot: layout, visible text, state, anything unusual.",
    tool: VISION_ANALYZE,
    args: {
      image: req(IMAGE),
      focus: opt("Optional: what to pay attention to (e.g. the sidebar, error banners)."),
    },
    toolArgs: (a) => ({
      image: a.image,
      prompt: withFocus(
        "Describe this screenshot: the application and screen shown, the layout, all visible text (verbatim where short), the state of controls, and anything that looks wrong.",
        a.focus,
      ),
    }),
    followUp:
      "Summarize what the screenshot shows in a few sentences and point out anything relevant to the task at hand.",
  },
  {
    name: "ui-to-code",
    title: "Turn a UI screenshot or mockup into code",
    description: "Have GLM vision read a UI design or screenshot and write code that reproduces it.",
    tool: VISION_ANALYZE,
    args: {
      image: req(IMAGE),
      framework: opt(
        "Optional: target stack (default: a single HTML file with Tailwind CSS); e.g. React + Tailwind, SwiftUI, Flutter.",
      ),
    },
    toolArgs: (a) => ({
      image: a.image,
      prompt: `Reproduce this user interface as ${a.framework || "a single HTML file with Tailwind CSS"}. Match layout, spacing, colours, typography and all visible text as closely as possible. Return only the code, in one fenced code block, with components named after what they show.`,
    }),
    followUp:
      "Review the code GLM returned, fit it to this project's conventions, and write it to the appropriate file(s).",
  },
  {
    name: "explain-error-screenshot",
    title: "Explain an error from a screenshot",
    description:
      "Have GLM vision read an error dialog, stack trace or failing test output in a screenshot and explain the cause and fix.",
    tool: VISION_ANALYZE,
    args: {
      image: req(IMAGE),
      context: opt("Optional: what you were doing when the error appeared (command, language, framework)."),
    },
    toolArgs: (a) => ({
      image: a.image,
      prompt: `${a.context ? `Context: ${a.context}. ` : ""}Read the error shown in this screenshot. Quote the exact error message and any file/line references, explain the most likely cause, and give concrete steps to fix it.`,
    }),
    followUp: "Check GLM's explanation against the code in this workspace, then propose or apply the fix.",
  },
  {
    name: "locate-ui-element",
    title: "Find a UI element on a screenshot",
    description:
      "Have GLM vision return the bounding box of a UI element (for clicking, cropping or zooming).",
    tool: VISION_LOCATE,
    args: {
      image: req(IMAGE),
      targets: req("What to find, in words (e.g. the Submit button, every red error badge)."),
    },
    toolArgs: (a) => ({ image: a.image, targets: a.targets }),
    followUp:
      "Use the returned box (e.g. pass it as region to vision_analyze to read the area at full resolution).",
  },
  {
    name: "summarize-video",
    title: "Summarize a video",
    description:
      "Have GLM vision watch a video (screen recording, demo, talk) and summarize it with timestamps.",
    tool: VIDEO_UNDERSTAND,
    args: {
      video: req("The video: an http(s) URL (preferred) or a local mp4/mov/mkv path."),
      focus: opt("Optional: what to pay attention to (e.g. the steps that reproduce the bug)."),
    },
    toolArgs: (a) => ({
      video: a.video,
      prompt: withFocus(
        "Summarize this video: what happens, in order, with approximate timestamps (mm:ss) for each key moment, and any text shown on screen that matters.",
        a.focus,
      ),
    }),
    followUp: "Report the summary; if the video shows a bug or a procedure, list the steps it shows.",
  },
  {
    name: "summarize-document",
    title: "Summarize or question a document",
    description:
      "Have GLM vision read a PDF, Office file or text document and summarize it or answer a question about it.",
    tool: DOCUMENT_ANALYZE,
    args: {
      file: req(
        "The document: an http(s) URL (pdf, docx, xlsx, pptx) or a local PDF, Office or text file path.",
      ),
      question: opt("Optional: a question to answer instead of a general summary."),
    },
    toolArgs: (a) => ({
      files: [a.file],
      prompt:
        a.question ||
        "Summarize this document: its purpose, the key points and figures, and any decisions or action items, with section or page references.",
    }),
    followUp: "Report the answer with the references GLM gave.",
  },
  {
    name: "second-opinion",
    title: "Get a second opinion from GLM",
    description:
      "Ask a GLM reasoning model to review a plan, a bug analysis or a piece of code and answer independently.",
    tool: GLM_REASON,
    args: {
      question: req("The question, plan or code to review, with the context it needs."),
      focus: opt("Optional: what to look for (e.g. race conditions, security, edge cases)."),
    },
    toolArgs: (a) => ({
      prompt: withFocus(
        `Review the following critically and independently. Point out mistakes, risks and better alternatives, most important first.\n\n${a.question}`,
        a.focus,
      ),
    }),
    followUp: "Compare GLM's opinion with your own analysis and say where they differ and why.",
  },
  {
    name: "rank-by-meaning",
    title: "Rank snippets by meaning",
    description: "Rank text snippets (one per line) by semantic similarity to a query with GLM embeddings.",
    tool: EMBED_TEXT,
    args: {
      query: req("What you are looking for, in words."),
      snippets: req("The snippets to rank, one per line."),
    },
    toolArgs: (a) => ({
      texts: (a.snippets ?? "")
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
      query: a.query,
    }),
    followUp: "Use the best-ranked snippets (highest score first) for the task at hand.",
  },
  ...CODE_PROMPTS,
  ...OFFICIAL_PROMPTS,
];

/** The user message a prompt returns: which tool to call, with which arguments, then what to do. */
export function promptText(spec: PromptSpec, args: PromptArgs): string {
  return [
    `Call the \`${spec.tool}\` tool with these arguments:`,
    "```json",
    JSON.stringify(spec.toolArgs(args), null, 2),
    "```",
    spec.followUp,
  ].join("\n");
}
