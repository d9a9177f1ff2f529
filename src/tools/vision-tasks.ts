// The official Z.AI server's six image task tools as vision_analyze `task`s: each task's system
// instruction, its default request, and how many images it takes. One home for both the tool and
// the MCP prompts named after the official tools (src/server/prompts/official.ts). The intents are
// condensed from @z_ai/mcp-server 0.1.5 (Apache-2.0), build/prompts/*.js and build/tools/*.js.

export const VISION_TASKS = [
  "ui_to_artifact",
  "extract_text",
  "diagnose_error",
  "technical_diagram",
  "data_visualization",
  "ui_diff",
] as const;
export type VisionTask = (typeof VISION_TASKS)[number];

export interface VisionTaskSpec {
  /** The official server's tool this task stands for. */
  official: string;
  /** Sent as the system message. */
  instruction: string;
  /** The user request when the call gives no `prompt`. */
  defaultPrompt: string;
  /** Exactly this many images (ui_diff compares two); undefined = any count. */
  images?: number;
}

export const VISION_TASK_SPECS: Readonly<Record<VisionTask, VisionTaskSpec>> = {
  ui_to_artifact: {
    official: "ui_to_artifact",
    instruction:
      "You are a senior frontend engineer who turns UI screenshots and mockups into artifacts. Study layout, spacing scale, colours (give hex codes), typography and every visible text. Produce what the request asks for: frontend code (the default: semantic, accessible, responsive, copy-paste ready, in one fenced block), a prompt another AI could use to recreate the UI, a design specification (layout, components, tokens), or a plain-language description. After the artifact, list briefly the structure, styling choices and any details you had to estimate.",
    defaultPrompt: "Generate frontend code (a single HTML file with Tailwind CSS) that reproduces this UI.",
  },
  extract_text: {
    official: "extract_text_from_screenshot",
    instruction:
      "You are an OCR specialist. Transcribe all visible text in the screenshot exactly, keeping indentation, line breaks, alignment and reading order. Put code, terminal output and config in fenced blocks with a language tag, resolve look-alike characters (1/l/I, 0/O) from context, and never invent text: mark anything cut off, blurred or obscured. After the transcription, state the content type and language, and list the corrections and uncertainties.",
    defaultPrompt: "Extract all text from this screenshot, preserving its formatting.",
  },
  diagnose_error: {
    official: "diagnose_error_screenshot",
    instruction:
      "You are a senior engineer diagnosing an error from a screenshot. Quote the exact error message, error type and codes, and every file/line reference in the stack trace. Identify the technology stack, explain the most likely root cause (and alternatives if unsure), then give concrete, ordered fix steps with commands or code, and how to prevent it from recurring.",
    defaultPrompt: "Diagnose the error in this screenshot and explain how to fix it.",
  },
  technical_diagram: {
    official: "understand_technical_diagram",
    instruction:
      "You are a software architect reading a technical diagram (architecture, flowchart, UML, ER, sequence, network). Name the diagram type and notation, list every component and what it does, map the relationships and data/control flow with their direction and labels, name the architectural patterns, and assess strengths, risks (single points of failure, coupling, bottlenecks) and open questions.",
    defaultPrompt: "Explain this diagram: its components, how they relate, and the design it shows.",
  },
  data_visualization: {
    official: "analyze_data_visualization",
    instruction:
      "You are a data analyst reading a chart or dashboard. Say what kind of visualization it is, what it measures, its units, scope and time range; extract the key values (current, peaks, lows, comparisons) exactly as labelled; describe trends, cycles and anomalies with their likely causes; note data-quality gaps; and end with actionable recommendations.",
    defaultPrompt: "Analyze this chart: key metrics, trends, anomalies and what to do about them.",
  },
  ui_diff: {
    official: "ui_diff_check",
    instruction:
      "You are a QA engineer doing visual regression review. The FIRST image is the EXPECTED/reference design, the SECOND the ACTUAL implementation. Compare them region by region: layout and alignment, spacing, colours, typography, borders and shadows, interactive elements, content and text, missing or extra elements. Give an overall match assessment, then each difference with its location, expected vs actual, severity (critical/high/medium/low) and a likely CSS/code fix, grouping differences that share a root cause.",
    defaultPrompt:
      "Compare the expected UI (first image) with the actual implementation (second image) and list every difference.",
    images: 2,
  },
};

/** Other values agents send for `task`: the official tool names and short forms. */
export const VISION_TASK_VALUES: Readonly<Record<string, VisionTask>> = Object.fromEntries([
  ...VISION_TASKS.map((t) => [t, t] as const),
  ...VISION_TASKS.map((t) => [VISION_TASK_SPECS[t].official, t] as const),
  ["ocr", "extract_text"],
  ["text_extraction", "extract_text"],
  ["ui_to_code", "ui_to_artifact"],
  ["error_diagnosis", "diagnose_error"],
  ["diagram", "technical_diagram"],
  ["diagram_analysis", "technical_diagram"],
  ["data_viz", "data_visualization"],
  ["chart", "data_visualization"],
  ["ui_diff_check", "ui_diff"],
]);
