#!/usr/bin/env node
// CLI entry: parse flags, load config, start the chosen transport. Nothing here writes to stdout in
// server mode except the transport itself.
import { HELP, parseCli, type ParsedCli } from "./cli-args.js";
import { ConfigError, loadConfig } from "./config.js";
import { createAppContext } from "./context.js";
import { startHttpServer } from "./transports/http.js";
import { startStdioServer } from "./transports/stdio.js";
import { VERSION } from "./version.js";

function fail(message: string): never {
  process.stderr.write(`glm-mcp: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
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
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (cli.command !== undefined) fail(`unknown command "${cli.command}". Run glm-mcp --help.`);

  let config;
  try {
    config = loadConfig(process.env, cli.overrides);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const ctx = createAppContext(config);
  if (!config.apiKey) {
    ctx.logger.warning("no API key set: tools are listed but every call will ask for GLM_API_KEY");
  }

  let stop: () => Promise<void>;
  if (config.http.enabled) {
    const http = await startHttpServer(ctx);
    ctx.logger.info(`listening on ${http.url}`, { endpoint: config.baseUrl, auth: config.http.token ? "bearer token" : "none" });
    stop = () => http.close();
  } else {
    const stdio = await startStdioServer(ctx);
    ctx.logger.info("ready on stdio", { endpoint: config.baseUrl });
    stop = () => stdio.close();
    process.stdin.on("end", () => void shutdown("stdin closed"));
  }

  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info(`shutting down (${why})`);
    const force = setTimeout(() => process.exit(0), 15_000);
    force.unref();
    await stop().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  process.stderr.write(`glm-mcp: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
