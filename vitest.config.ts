import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Fails the run when a process it started is still alive at the end.
    globalSetup: ["test/setup/no-leftovers.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e tests spawn the built CLI; keep parallelism modest on 2-core machines.
    maxWorkers: 2,
  },
});
