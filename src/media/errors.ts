// A media problem the caller can fix (wrong type, too big, not allowed): reported as one sentence.
import { ToolInputError } from "../tools/result.js";

export class MediaError extends ToolInputError {
  override name = "MediaError";
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
