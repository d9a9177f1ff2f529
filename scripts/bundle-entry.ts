// `npm run build`, first step: bundles what users run. dist/ holds only this (and the start-up
// snapshot written next), all of it CommonJS, every module in exactly one of the two bundles:
// 1. dist/index.cjs, the entry: src/index.ts and what it imports statically (flags, config, logger,
//    the stdio front). CommonJS so a spawn never starts Node's ES module loader: an all-ESM build
//    (entry and lazy chunks from one esbuild call, format esm, splitting) used ~30% more CPU up to
//    tools/list (50.0 vs 38.2 ms and 40.4 vs 31.4 ms, medians of 15 interleaved spawns,
//    bench/startup-cpu.ts). Nothing from node_modules may get in (the build fails): this file is
//    parsed at every start.
// 2. dist/lazy.cjs, everything index.ts loads with `import()` (the server, the tools, the SDK, zod,
//    undici; the HTTP transport; the commands): one CommonJS file whose modules run only when first
//    required (esbuild wraps each), so the stdio path never runs the HTTP transport's code. It gets
//    the entry's modules from the entry (handed over with each load) instead of a second copy of
//    its own: each module is evaluated once per process, and its state is the one state.
// dist/index.js forwards to dist/index.cjs for client configurations that name the old entry.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");
const ENTRY_PATH = path.join(DIST, "index.cjs");
const LAZY_PATH = path.join(DIST, "lazy.cjs");
/** Loaded by require() at run time, never bundled: native (sharp), optional (ioredis, ws's helpers). */
const EXTERNAL = ["sharp", "ioredis", "bufferutil", "utf-8-validate"];
/** lazy.cjs's virtual module holding the entry's modules once the entry handed them over. */
const SHARED = "glm-mcp:shared";

const common: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  metafile: true,
  logLevel: "warning",
};
// import.meta.url would need node:url's pathToFileURL at every start: the start-up path uses
// import.meta.dirname, which is the bundle's folder.
const entryDefine = { "import.meta.dirname": "__dirname" };

/** A src/ import (`../log.js` from src/x/y.ts) as the repo-relative .ts path the metafile names. */
const srcPathOf = (resolveDir: string, specifier: string) =>
  path
    .relative(ROOT, path.resolve(resolveDir, specifier.replace(/\.js$/, ".ts")))
    .split(path.sep)
    .join("/");

rmSync(DIST, { recursive: true, force: true });
mkdirSync(DIST);

// Pass 1 (not written): which src/ modules the start-up path holds, and which modules index.ts
// imports lazily.
const lazyTargets = new Map<string, string>(); // specifier in index.ts -> src path
const probe = await build({
  ...common,
  entryPoints: ["src/index.ts"],
  write: false,
  outfile: ENTRY_PATH,
  define: entryDefine,
  plugins: [
    {
      name: "collect-lazy-imports",
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind !== "dynamic-import") return undefined;
          if (args.path.startsWith("./")) lazyTargets.set(args.path, srcPathOf(args.resolveDir, args.path));
          return { path: args.path, external: true };
        });
      },
    },
  ],
});
const packages = Object.keys(probe.metafile.inputs).filter((input) => !input.startsWith("src/"));
if (packages.length) {
  throw new Error(`dist/index.cjs must hold only src/ code; it pulled in: ${packages.join(", ")}`);
}
/** The entry's modules lazy.cjs may import (index.ts itself is nobody's import). */
const startup = Object.keys(probe.metafile.inputs).filter((input) => input !== "src/index.ts");
for (const src of lazyTargets.values())
  if (startup.includes(src)) throw new Error(`${src} is both imported and import()ed by src/index.ts`);

// The entry: src/index.ts run from a wrapper that first hands the entry's modules to a loader;
// each `import()` of a lazy module becomes the loader's require of lazy.cjs and its load(). Only
// CommonJS modules are ever required here, so esbuild wraps none of the ES modules of the
// start-up path in lazy initialisers: they run as plain top-level code, as they did before.
const LOADER = "glm-mcp:loader";
const entryPlugin: Plugin = {
  name: "lazy-imports-load-from-lazy-cjs",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.path === LOADER) return { path: LOADER, namespace: "loader" };
      if (args.path === "./lazy.cjs") return { path: args.path, external: true };
      if (args.kind !== "dynamic-import") return undefined;
      // node:cluster and the like: require() too, so no import() starts the ES module loader.
      return { path: args.path, namespace: args.path.startsWith("./") ? "lazy" : "builtin" };
    });
    b.onLoad({ filter: /.*/, namespace: "loader" }, () => ({
      loader: "js",
      contents: [
        "let shared;",
        "exports.share = (modules) => { shared = modules; };",
        "exports.load = (name) => {",
        "  if (!shared) throw new Error(`${name} was imported before the entry shared its modules`);",
        '  return require("./lazy.cjs").load(name, shared);',
        "};",
      ].join("\n"),
    }));
    b.onLoad({ filter: /.*/, namespace: "lazy" }, (args) => ({
      loader: "js",
      contents: `module.exports = require(${JSON.stringify(LOADER)}).load(${JSON.stringify(args.path)});`,
    }));
    b.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({
      loader: "js",
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
    }));
  },
};
// share() runs before any load(): index.ts's import()s resolve in later ticks, after this script.
const entryWrapper = [
  ...startup.map((p, i) => `import * as m${i} from ${JSON.stringify(`./${p}`)};`),
  `import { share } from ${JSON.stringify(LOADER)};`,
  'import "./src/index.ts";',
  `share({ ${startup.map((p, i) => `${JSON.stringify(p)}: m${i}`).join(", ")} });`,
].join("\n");

await build({
  ...common,
  stdin: { contents: entryWrapper, resolveDir: ROOT, sourcefile: "entry.js", loader: "js" },
  outfile: ENTRY_PATH,
  banner: { js: `#!/usr/bin/env node\n"use strict";` },
  define: entryDefine,
  plugins: [entryPlugin],
});
// esbuild turns any other import.meta into an empty object: that code would misbehave at run time.
if (readFileSync(ENTRY_PATH, "utf8").includes("import_meta")) {
  throw new Error("dist/index.cjs uses import.meta beyond import.meta.dirname, which CommonJS lacks");
}
chmodSync(ENTRY_PATH, 0o755);

// lazy.cjs: load(name, shared) runs one lazy module (and what it needs, once); an import of one of
// the entry's modules reads it from `shared`.
const lazyPlugin: Plugin = {
  name: "entry-modules-come-from-the-entry",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.path === SHARED) return { path: SHARED, namespace: "shared" };
      if (!args.path.startsWith(".") || !args.importer.startsWith(path.join(ROOT, "src"))) return undefined;
      const src = srcPathOf(args.resolveDir, args.path);
      return startup.includes(src) ? { path: src, namespace: "from-entry" } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: "shared" }, () => ({
      loader: "js",
      contents: "exports.modules = undefined;",
    }));
    b.onLoad({ filter: /.*/, namespace: "from-entry" }, (args) => ({
      loader: "js",
      contents: `module.exports = require(${JSON.stringify(SHARED)}).modules[${JSON.stringify(args.path)}];`,
    }));
  },
};
const lazyEntry = [
  `const registry = require(${JSON.stringify(SHARED)});`,
  "const targets = {",
  ...[...lazyTargets].map(([spec, src]) => `  ${JSON.stringify(spec)}: () => require("./${src}"),`),
  "};",
  "exports.load = (name, shared) => {",
  "  registry.modules ??= shared;",
  "  return targets[name]();",
  "};",
].join("\n");
const lazy = await build({
  ...common,
  stdin: { contents: lazyEntry, resolveDir: ROOT, sourcefile: "lazy-entry.js", loader: "js" },
  outfile: LAZY_PATH,
  external: EXTERNAL,
  // version.ts and media/sharp.ts resolve files from import.meta.url: this file's URL.
  define: { "import.meta.url": "__glmModuleUrl" },
  banner: { js: 'const __glmModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  // Whitespace and comments out, names kept (stack traces stay readable): V8 parses this code on
  // the first tool call, and less of it parses faster.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [lazyPlugin],
});
const twice = startup.filter((src) => src in lazy.metafile.inputs);
if (twice.length) throw new Error(`dist/lazy.cjs holds a second copy of ${twice.join(", ")}`);
if (/\bimport_meta\d*\b/.test(readFileSync(LAZY_PATH, "utf8"))) {
  throw new Error("dist/lazy.cjs uses import.meta beyond import.meta.url, which CommonJS lacks");
}

writeFileSync(
  path.join(DIST, "index.js"),
  '#!/usr/bin/env node\n// The entry is index.cjs; this file serves client configurations that name the old one.\nimport "./index.cjs";\n',
  { mode: 0o755 },
);

// Source files, not the virtual modules this script makes.
const lazyInputs = Object.keys(lazy.metafile.inputs).filter((i) => !/^[\w-]+:|^<stdin>$/.test(i));
process.stdout.write(
  `start-up entry: ${startup.length + 1} modules -> dist/index.cjs; ` +
    `${lazyInputs.length} modules -> dist/lazy.cjs (${(readFileSync(LAZY_PATH).length / 1e6).toFixed(1)} MB)\n`,
);
