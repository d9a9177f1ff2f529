#!/usr/bin/env node
// CLI entry: parse flags, load config, start the chosen transport. Nothing here writes to stdout in
// server mode except the transport itself. Start-up loads only what answering `initialize` and
// `tools/list` over stdio needs (stdio-front.ts); the SDK, the tools, the commands and the HTTP
// transport are imported when first used. The build bundles this file and its static imports into
// dist/index.cjs and every `import()` target into dist/lazy.cjs (scripts/bundle-entry.ts).
import { HELP, parseCli, type ParsedCli } from "./cli/args.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createLogger } from "./log.js";
import { readStartupSnapshot, startStdioFront } from "./transports/stdio-front.js";
import { secretsOf } from "./state/secrets.js";
import { maskUrlCredentials } from "./util/url-credentials.js";

/**
 * A password in a flag (--redis-url redis://:PW@host) is visible to every user through `ps`:
 * rewrite this process's visible command line with it masked (Linux and macOS overwrite the argv
 * area). GLM_MCP_REDIS_URL stays the recommended way; this only narrows the window.
 */
function hidePasswordsFromPs(): void {
  const argv = [process.argv0, ...process.argv.slice(1)];
  const masked = argv.map(maskUrlCredentials);
  if (masked.some((a, i) => a !== argv[i])) process.title = masked.join(" ");
}

function fail(message: string): never {
  process.stderr.write(`glm-mcp: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  hidePasswordsFromPs();
  let cli: ParsedCli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (err) {
    fail(`${(err as Error).message}. Run glm-mcp --help for the options.`);
  }
  if (cli.help) {
    process.stdout.write(HELP);
    return;
  }
  if (cli.version) {
    process.stdout.write(`${(await import("./version.js")).VERSION}\n`);
    return;
  }
  if (cli.command === "doctor" || cli.command === "call") {
    const code = await runCommand(cli);
    process.exitCode = code;
    // Idle keep-alive sockets must not hold a finished command open (unref: exits at once when idle).
    setTimeout(() => process.exit(code), 200).unref();
    return;
  }
  if (cli.command !== undefined) fail(`unknown command "${cli.command}". Run glm-mcp --help.`);

  let config: Config;
  try {
    config = loadConfig(process.env, cli.overrides);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const logger = createLogger(config.logLevel, secretsOf(config));
  if (!config.apiKey) {
    logger.warning("no API key set: tools are listed but every call will ask for GLM_API_KEY");
  }
  const appContext = async () => (await import("./state/context.js")).openAppContext(config, { logger });

  if (config.http.enabled && config.workers > 1) {
    const cluster = (await import("node:cluster")).default;
    if (cluster.isPrimary) {
      const { runPrimary } = await import("./transports/workers.js");
      return runPrimary(config.workers, logger, listeningFields(config));
    }
  }

  let stop: () => Promise<void>;
  if (config.http.enabled) {
    const { startHttpServer } = await import("./transports/http.js");
    const http = await startHttpServer(await appContext());
    // Under --workers the primary announces once, when every worker listens.
    if (config.workers === 1) logger.info(`listening on ${http.url}`, listeningFields(config));
    stop = () => http.close();
    // Under npx / npm run the server is a grandchild (npm -> sh -> node) and npm's SIGTERM stops
    // only sh: follow the launcher out rather than linger as an orphan. npm_command is set by npm
    // for the processes it launches (launch context, not configuration). Run directly, e.g. under
    // nohup, the server outlives its parent as a daemon should.
    if (process.env.npm_command) stopWithParent(() => void shutdown("parent process exited"));
    // A --workers worker: its primary gone (the IPC channel closed), it stops too.
    if (config.workers > 1) process.on("disconnect", () => void shutdown("primary process exited"));
  } else {
    const stdio = startStdioFront({
      logger,
      snapshot: readStartupSnapshot(`${import.meta.dirname}/startup-snapshot.json`),
      start: async (lines) => {
        const [{ startStdioServer }, ctx] = await Promise.all([
          import("./transports/stdio.js"),
          appContext(),
        ]);
        return startStdioServer(ctx, lines);
      },
    });
    logger.info("ready on stdio", { endpoint: config.baseUrl });
    stop = () => stdio.close();
    // A stdio server serves one parent: when it goes (stdin closes, stdout breaks, or the parent
    // dies while someone else still holds the pipe), stop rather than linger as an orphan.
    process.stdin.on("end", () => void shutdown("stdin closed"));
    process.stdout.on("error", () => void shutdown("stdout closed"));
    stopWithParent(() => void shutdown("parent process exited"));
  }

  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`shutting down (${why})`);
    const force = setTimeout(() => process.exit(0), 15_000);
    force.unref();
    await stop().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function listeningFields(config: Config): Record<string, unknown> {
  return { endpoint: config.baseUrl, auth: config.http.token ? "bearer token" : "none" };
}

/**
 * Calls `onGone` once the parent process has died (this process was re-parented). A parent that
 * died while this process was still starting left it under init (ppid 1) already: gone too.
 */
function stopWithParent(onGone: () => void): void {
  const parent = process.ppid;
  if (parent === 1) return onGone();
  setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, 1_000).unref();
}

/** `doctor` and `call`: one-shot commands with exit code 0 (success) or 1 (any failure). */
async function runCommand(cli: ParsedCli): Promise<number> {
  const err = (text: string) => process.stderr.write(text);
  let config: Config;
  try {
    config = loadConfig(process.env, cli.overrides);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    err(`glm-mcp: ${e.message}\n`);
    return 1;
  }
  if (cli.command === "doctor") {
    const { doctor } = await import("./cli/doctor.js");
    return doctor(config, (t) => process.stdout.write(t), { json: cli.json, live: cli.live, all: cli.all });
  }
  const [{ callTool, parseToolArgs }, { openAppContext }] = await Promise.all([
    import("./cli/call.js"),
    import("./state/context.js"),
  ]);

  const tool = cli.rest[0];
  if (!tool) {
    err(`glm-mcp: call needs a tool name: glm-mcp call <tool> --args '<json>'\n`);
    return 1;
  }
  let args: Record<string, unknown>;
  try {
    args = parseToolArgs(cli.toolArgs === "-" ? await readStdin() : cli.toolArgs);
  } catch (e) {
    err(`glm-mcp: ${(e as Error).message}\n`);
    return 1;
  }
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort(new Error("interrupted")));
  return callTool(await openAppContext(config), tool, args, {
    json: cli.json,
    out: (t) => process.stdout.write(t),
    err,
    signal: abort.signal,
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

main().catch((err) => {
  process.stderr.write(`glm-mcp: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
