// The live suite (test/live, `npm run test:live`) runs only with a real key and never in CI, and
// `npm test` never picks it up.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import testConfig from "../../vitest.config.js";
import { liveSkipReason } from "../live/gate.js";

describe("live suite gate", () => {
  it("skips without GLM_LIVE_API_KEY and under CI, runs with a key outside CI", () => {
    expect(liveSkipReason({})).toMatch(/^GLM_LIVE_API_KEY is not set/);
    expect(liveSkipReason({ GLM_LIVE_API_KEY: "k", CI: "true" })).toMatch(/never runs in CI/);
    expect(liveSkipReason({ GLM_LIVE_API_KEY: "k" })).toBeUndefined();
  });

  it("npm test's include pattern misses every live file; the live config takes exactly them", () => {
    const live = readdirSync(path.resolve(import.meta.dirname, "../live")).filter((f) =>
      f.endsWith(".live.ts"),
    );
    expect(live.length).toBeGreaterThan(0);
    expect(testConfig.test?.include).toEqual(["test/**/*.test.ts"]);
    expect(live.every((f) => !f.endsWith(".test.ts"))).toBe(true);
    // Read as text: importing the live config would print its skip line into npm test's output.
    const liveConfig = readFileSync(path.resolve(import.meta.dirname, "../../vitest.live.config.ts"), "utf8");
    expect(liveConfig).toContain(`include: ["test/live/**/*.live.ts"]`);
  });
});
