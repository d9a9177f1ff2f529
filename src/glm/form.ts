// The one way a file goes to GLM as multipart/form-data (the file parser, speech to text): undici's
// FormData encodes it; arrays become one part per item, the OAS 3.0 default for multipart arrays
// (style form, explode true).
import { Blob } from "node:buffer";
import { FormData } from "undici";

export interface FormFile {
  bytes: Buffer;
  /** The file's name as sent (GLM reads the type from it where it has no other field for it). */
  name: string;
}

export function fileForm(
  file: FormFile,
  fields: Readonly<Record<string, string | readonly string[] | undefined>>,
): FormData {
  const form = new FormData();
  form.set("file", new Blob([file.bytes]), file.name);
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value === "string") form.set(key, value);
    else for (const item of value) form.append(key, item);
  }
  return form;
}
