// `npm run test:live`: the maintainers' suite against the real GLM platform (test/live/*.live.ts).
// `npm test` never runs it (vitest.config.ts includes test/**/*.test.ts only). It costs money and
// needs the internet, so it runs only when GLM_LIVE_API_KEY is set, and never under CI.
import { defineConfig } from "vitest/config";
import { liveSkipReason } from "./test/live/gate.js";

const skip = liveSkipReason();
if (skip) process.stderr.write(`test:live skipped: ${skip}\n`);

export default defineConfig({
  test: {
    include: ["test/live/**/*.live.ts"],
    // One call at a time: the account's concurrency is small and the costs add up.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
