// A media problem the caller can fix (wrong type, too big, not allowed): reported as one sentence.
import { ToolInputError } from "../errors.js";

export class MediaError extends ToolInputError {
  override name = "MediaError";
}
