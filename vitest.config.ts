import { defineConfig } from "vitest/config";
import { NEEDS_BINARIES } from "./vitest.replicas.config.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // redis-server / nginx suites run in `npm run test:replicas` (vitest.replicas.config.ts).
    exclude: ["**/node_modules/**", ...NEEDS_BINARIES],
    // Fails the run when a process it started is still alive at the end.
    globalSetup: ["test/setup/no-leftovers.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e tests spawn the built CLI; keep parallelism modest on 2-core machines.
    maxWorkers: 2,
  },
});
