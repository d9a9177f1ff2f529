// embed_text's other argument names (OpenAI's `input`, search-library `documents`/`k`, …).
import type { AliasTable } from "./normalize.js";

export const embedTextAliases: AliasTable = {
  names: {
    text: "texts",
    input: "texts",
    inputs: "texts",
    documents: "texts",
    docs: "texts",
    corpus: "texts",
    passages: "texts",
    candidates: "texts",
    sentences: "texts",
    chunks: "texts",
    strings: "texts",
    question: "query",
    search: "query",
    search_query: "query",
    q: "query",
    k: "top_k",
    top_n: "top_k",
    limit: "top_k",
    n_results: "top_k",
    num_results: "top_k",
    dimension: "dimensions",
    dims: "dimensions",
    dim: "dimensions",
    embedding_dimensions: "dimensions",
    format: "file_format",
    model_name: "model",
  },
};
