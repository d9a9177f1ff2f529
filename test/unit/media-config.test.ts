// Media intake settings: defaults, env vars, CLI flags (which win), and range errors.
import { describe, expect, it } from "vitest";
import { parseCli } from "../../src/cli/args.js";
import { loadConfig } from "../../src/config.js";

const MB = 1024 * 1024;

describe("media config", () => {
  it("has defaults chosen for quality vs cost", () => {
    expect(loadConfig({}).media).toEqual({
      imageMaxEdge: 2048,
      imageMaxBytes: 4 * MB,
      videoMaxBytes: 8 * MB,
      inputMaxBytes: 100 * MB,
      fetchTimeoutMs: 30_000,
    });
  });
  it("reads env vars, and flags override them", () => {
    const env = {
      GLM_MCP_IMAGE_MAX_EDGE: "1024",
      GLM_MCP_IMAGE_MAX_MB: "2",
      GLM_MCP_VIDEO_MAX_MB: "50",
      GLM_MCP_MEDIA_MAX_MB: "300",
      GLM_MCP_FETCH_TIMEOUT_MS: "5000",
    };
    expect(loadConfig(env).media).toEqual({
      imageMaxEdge: 1024,
      imageMaxBytes: 2 * MB,
      videoMaxBytes: 50 * MB,
      inputMaxBytes: 300 * MB,
      fetchTimeoutMs: 5000,
    });
    const cli = parseCli([
      "--image-max-edge",
      "3000",
      "--image-max-mb",
      "5",
      "--video-max-mb",
      "10",
      "--media-max-mb",
      "40",
    ]).overrides;
    expect(loadConfig(env, cli).media).toMatchObject({
      imageMaxEdge: 3000,
      imageMaxBytes: 5 * MB,
      videoMaxBytes: 10 * MB,
      inputMaxBytes: 40 * MB,
    });
  });
  it("refuses values outside GLM's limits with the allowed range", () => {
    expect(() => loadConfig({ GLM_MCP_IMAGE_MAX_MB: "6" })).toThrow(
      /GLM_MCP_IMAGE_MAX_MB must be a whole number from 1 to 5/,
    );
    expect(() => loadConfig({ GLM_MCP_IMAGE_MAX_EDGE: "7000" })).toThrow(/from 256 to 6000/);
    expect(() => loadConfig({ GLM_MCP_VIDEO_MAX_MB: "201" })).toThrow(/from 1 to 200/);
  });
});

describe("parseCli without arguments", () => {
  it("gives what parsing an empty flag list gives (it skips the parser)", () => {
    expect(parseCli([])).toEqual(parseCli(["--"]));
    expect(parseCli([]).overrides).toEqual(parseCli(["--"]).overrides);
    expect(parseCli([])).toMatchObject({ help: false, version: false, command: undefined, rest: [] });
  });
});
