// Part of `npm run build`: bundles the start-up path (src/index.ts and what it imports statically:
// flags, config, logger, the stdio front) into one CommonJS file, dist/index.cjs, the shipped entry.
// A CommonJS entry starts without Node's ES module loader (an empty .mjs starts ~20% slower than an
// empty .cjs on Node 20) and one file is one read instead of nine. Everything index.ts imports with
// `import()` (the SDK, the tools, the transports, the commands) stays outside, loaded from dist/ as
// ES modules when first used. The build fails if anything from node_modules gets into the bundle.
import { chmodSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ENTRY_PATH = path.join(ROOT, "dist/index.cjs");

// `import()` targets are resolved by Node at run time next to dist/index.cjs (as from dist/index.js).
const lazyImportsStayOutside: Plugin = {
  name: "lazy-imports-stay-outside",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) =>
      args.kind === "dynamic-import" ? { path: args.path, external: true } : undefined,
    );
  },
};

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ["src/index.ts"],
  outfile: ENTRY_PATH,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // The bundle sits where dist/index.js does, so its folder is the same. (import.meta.url would
  // need node:url's pathToFileURL at every start: the start-up path uses import.meta.dirname.)
  define: { "import.meta.dirname": "__dirname" },
  plugins: [lazyImportsStayOutside],
  metafile: true,
  logLevel: "warning",
});

// esbuild turns any other import.meta into an empty object: that code would misbehave at run time.
if (readFileSync(ENTRY_PATH, "utf8").includes("import_meta")) {
  throw new Error("dist/index.cjs uses import.meta beyond import.meta.dirname, which CommonJS lacks");
}
const packages = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith("src/"));
if (packages.length) {
  throw new Error(`dist/index.cjs must hold only src/ code; it pulled in: ${packages.join(", ")}`);
}
chmodSync(ENTRY_PATH, 0o755);
process.stdout.write(
  `start-up entry: ${Object.keys(result.metafile.inputs).length} modules -> dist/index.cjs\n`,
);
