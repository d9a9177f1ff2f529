// The fake GLM upstream: a real HTTP server on 127.0.0.1 that validates requests the way the GLM
// API does and answers with its shapes, status codes and business error codes. See server.ts.
// The realtime WebSocket fake (GLM-Realtime) lives in realtime.ts.
export { FAKE_API_KEY, API_PREFIXES, HTML_404, startFakeGlm } from "./server.js";
export type {
  Fault,
  FakeGlm,
  RecordedRequest,
  ScriptedAnswer,
  ScriptedToolCall,
  ScriptedTurn,
  StartOptions,
  Usage,
} from "./types.js";
export { MODELS, EMBEDDING_MODELS, type FakeModel, type ModelKind } from "./models.js";
export { ERROR_TABLE } from "./errors.js";
export { embedText, MAX_EMBEDDING_ITEMS } from "./embeddings.js";
export { estimateTokens } from "./tokens.js";
export { makeToneWav, parseWav, wavFromPcm, type WavInfo } from "./wav.js";
export { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE } from "./vision.js";
export { startFakeRealtime, REALTIME_PATH } from "./realtime.js";
export type * from "./realtime-types.js";
export { makePdf } from "./pdf.js";
export { pdfText, parserMaxBytes } from "./parser.js";
export { SPEC_FILE, checkAgainstSpec } from "./spec.js";
export { IssuedCalls, checkToolMessages, streamToolCalls } from "./function-calling.js";
export { importExplorer, toolResults } from "./explorer.js";
export { jpegWithComment, makeScannedPdf, pngWithText } from "./page-text.js";
export { layoutParsingResponse, OCR_MAX } from "./ocr.js";
export { rerankResponse, RERANK_MAX } from "./rerank.js";
