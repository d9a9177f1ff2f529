// A small TypeScript project on disk for the workspace tests: an entry that imports two modules,
// one of which imports a third, plus hidden, ignored, binary and secret files, and a folder outside.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TestWorkspace {
  /** The allowed folder (real path). */
  root: string;
  /** A folder next to it that is not allowed, with secret.txt inside. */
  outside: string;
  remove(): void;
}

export function makeWorkspace(): TestWorkspace {
  const top = realpathSync(mkdtempSync(path.join(os.tmpdir(), "glm-ws-")));
  const root = path.join(top, "project");
  const outside = path.join(top, "outside");
  const put = (rel: string, text: string | Buffer) => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  put(
    "src/server.ts",
    'import { loadConfig } from "./config.js";\nimport { GlmClient } from "./glm/client.js";\n\nexport function start() {\n  try {\n    return new GlmClient(loadConfig());\n  } catch (err) {\n    console.error(err);\n  }\n}\n',
  );
  put(
    "src/config.ts",
    'export function loadConfig() {\n  if (!process.env.KEY) throw new Error("no key");\n  return {};\n}\n',
  );
  put(
    "src/glm/client.ts",
    'import { retry } from "./retry.js";\n\nexport class GlmClient {\n  constructor(readonly c: object) {}\n  call = () => retry();\n}\n',
  );
  put(
    "src/glm/retry.ts",
    "export async function retry() {\n  // swallows every error\n  return undefined;\n}\n",
  );
  put(".gitignore", "dist/\n*.log\n");
  put("dist/bundle.js", "console.log('built');\n");
  put("debug.log", "log line\n");
  put(".hidden/notes.md", "hidden notes\n");
  put("node_modules/dep/index.js", "module.exports = 1;\n");
  put(
    "assets/logo.png",
    Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1d9c1a80000000049454e44ae426082",
      "hex",
    ),
  );
  put(".env", "API_KEY=abc123\n");
  put(
    "big.txt",
    Array.from({ length: 30_000 }, (_, i) => `line ${i + 1} of a very large generated file`).join("\n"),
  );
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, "secret.txt"), "outside the sandbox\n");
  symlinkSync(path.join(outside, "secret.txt"), path.join(root, "src/escape.ts"));
  return { root, outside, remove: () => rmSync(top, { recursive: true, force: true }) };
}
