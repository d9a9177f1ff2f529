// Errors a caller can fix (bad arguments, unusable media): neutral ground every layer may import.
// The tool frame reports them as one sentence and does not count them as GLM failures.

/** Bad input detected by the server itself, before or instead of asking GLM. */
export class ToolInputError extends Error {
  override name = "ToolInputError";
}
