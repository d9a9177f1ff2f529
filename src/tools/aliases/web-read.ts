// web_read's other argument names: the Reader API's own fields (which Z.AI's remote reader MCP
// server also uses) and what fetch-style tools call the page (`link`, `page`, `href`).
import type { AliasTable } from "./normalize.js";

export const webReadAliases: AliasTable = {
  names: {
    link: "url",
    page: "url",
    href: "url",
    uri: "url",
    address: "url",
    website: "url",
    return_format: "format",
    output_format: "format",
    retain_images: "images",
    include_images: "images",
    keep_images: "images",
    with_links_summary: "links_summary",
    include_links: "links_summary",
    with_images_summary: "images_summary",
    no_cache: "fresh",
    bypass_cache: "fresh",
    max_length: "max_chars",
    max_characters: "max_chars",
    timeout_s: "timeout",
  },
  sources: ["url"],
};
