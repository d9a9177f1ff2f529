// Part of `npm run build`, after tsc: bundles what users run.
// 1. dist/index.cjs, the entry: src/index.ts and what it imports statically (flags, config, logger,
//    the stdio front) as one CommonJS file. A CommonJS entry starts without Node's ES module loader
//    (an empty .mjs starts ~20% slower than an empty .cjs on Node 20), one file is one read instead
//    of nine, and nothing from node_modules may get in (the build fails).
// 2. dist/lazy-*.js, what index.ts loads with `import()` (the server, the tools, the SDK, zod,
//    undici; the HTTP transport; the commands) as ES module bundles sharing chunks. Loading them is
//    the first tool call's cost: a few files instead of ~470 modules. They sit in dist/ itself so
//    paths relative to a module (../package.json in version.ts) resolve as from the tsc output.
// The tsc output (dist/index.js and the tree beside it) stays, for configurations that name it.
import { chmodSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");
const ENTRY_PATH = path.join(DIST, "index.cjs");
/** Loaded by require() at run time, never bundled: native (sharp), optional (ioredis, ws's helpers). */
const EXTERNAL = ["sharp", "ioredis", "bufferutil", "utf-8-validate"];

/** `./transports/stdio.js` (as index.ts imports it) → `lazy-transports-stdio` (its bundle in dist/). */
const lazyName = (specifier: string) =>
  "lazy-" + specifier.replace(/^\.\//, "").replace(/\.js$/, "").replace(/\//g, "-");

// index.ts's `import()`s of its own modules point at their bundles; node: modules stay as they are.
const lazy = new Map<string, string>(); // bundle name -> source file
const lazyImportsGoToBundles: Plugin = {
  name: "lazy-imports-go-to-bundles",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== "dynamic-import") return undefined;
      if (!args.path.startsWith("./")) return { path: args.path, external: true };
      const name = lazyName(args.path);
      lazy.set(name, path.join("src", args.path.replace(/\.js$/, ".ts")));
      return { path: `./${name}.js`, external: true };
    });
  },
};

for (const old of readdirSync(DIST).filter((f) => f.startsWith("lazy-"))) rmSync(path.join(DIST, old));

const entry = await build({
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
  plugins: [lazyImportsGoToBundles],
  metafile: true,
  logLevel: "warning",
});
// esbuild turns any other import.meta into an empty object: that code would misbehave at run time.
if (readFileSync(ENTRY_PATH, "utf8").includes("import_meta")) {
  throw new Error("dist/index.cjs uses import.meta beyond import.meta.dirname, which CommonJS lacks");
}
const packages = Object.keys(entry.metafile.inputs).filter((input) => !input.startsWith("src/"));
if (packages.length) {
  throw new Error(`dist/index.cjs must hold only src/ code; it pulled in: ${packages.join(", ")}`);
}
chmodSync(ENTRY_PATH, 0o755);

const bundles = await build({
  absWorkingDir: ROOT,
  entryPoints: Object.fromEntries(lazy),
  outdir: DIST,
  chunkNames: "lazy-chunk-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: EXTERNAL,
  // Whitespace and comments out, names kept (stack traces stay readable): V8 parses this code on
  // the first tool call, and less of it parses faster.
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS packages inside (undici, ajv) call require() for Node's modules.
  banner: {
    js: 'import { createRequire as __glmCreateRequire } from "node:module"; const require = __glmCreateRequire(import.meta.url);',
  },
  metafile: true,
  logLevel: "warning",
});
const outputs = Object.values(bundles.metafile.outputs);
process.stdout.write(
  `start-up entry: ${Object.keys(entry.metafile.inputs).length} modules -> dist/index.cjs; ` +
    `${Object.keys(bundles.metafile.inputs).length} modules -> ${outputs.length} dist/lazy-*.js files ` +
    `(${(outputs.reduce((sum, o) => sum + o.bytes, 0) / 1e6).toFixed(1)} MB)\n`,
);
