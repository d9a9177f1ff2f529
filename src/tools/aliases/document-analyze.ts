// document_analyze's other argument names; one document is a one-item list.
import type { AliasTable } from "./normalize.js";
import { REASONING_NAMES, GENERATION_NAMES, PROMPT_NAMES } from "./common.js";

export const documentAnalyzeAliases: AliasTable = {
  names: {
    ...GENERATION_NAMES,
    ...REASONING_NAMES,
    ...PROMPT_NAMES,
    file: "files",
    file_path: "files",
    file_paths: "files",
    file_url: "files",
    file_urls: "files",
    document: "files",
    documents: "files",
    doc: "files",
    docs: "files",
    path: "files",
    paths: "files",
    url: "files",
    urls: "files",
    sources: "files",
    pdf: "files",
    read_mode: "mode",
    reading_mode: "mode",
    parse_mode: "mode",
  },
  sources: ["files"],
};
