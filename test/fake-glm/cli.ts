// Manual runs and benchmarks: `npx tsx test/fake-glm/cli.ts [--port N] [--latency MS] [--chunk-delay MS]`.
// Prints FAKE_GLM_BASE_URL=<baseUrl> (and the key) on stdout; runs until SIGTERM/SIGINT.
import { parseArgs } from "node:util";
import { startFakeGlm } from "./index.js";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    latency: { type: "string" },
    "chunk-delay": { type: "string" },
    "api-key": { type: "string" },
  },
});

const num = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number`);
    process.exit(2);
  }
  return n;
};

const fake = await startFakeGlm({
  port: num(values.port, "port"),
  latencyMs: num(values.latency, "latency"),
  chunkDelayMs: num(values["chunk-delay"], "chunk-delay"),
  apiKey: values["api-key"],
});
console.log(`FAKE_GLM_BASE_URL=${fake.baseUrl}`);
console.log(`FAKE_GLM_API_KEY=${fake.apiKey}`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
