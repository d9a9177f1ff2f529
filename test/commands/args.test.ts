// Command-line flags as a person types them: a misspelt flag names the nearest real one.
import { describe, expect, it } from "vitest";
import { parseCli } from "../../src/cli/args.js";

describe("parseCli", () => {
  it("an unknown flag suggests the nearest one, in one line", () => {
    expect(() => parseCli(["call", "glm_reason", "--arg", "{}"])).toThrow(
      "unknown option --arg (did you mean --args?)",
    );
    expect(() => parseCli(["--ouput-dir", "/tmp/x"])).toThrow(
      "unknown option --ouput-dir (did you mean --output-dir?)",
    );
    expect(() => parseCli(["--alow-dir=/x"])).toThrow(
      "unknown option --alow-dir (did you mean --allow-dir?)",
    );
  });

  it("known flags still parse", () => {
    const cli = parseCli(["call", "glm_reason", "--args", '{"prompt":"x"}', "--output-dir", "/tmp/o"]);
    expect(cli).toMatchObject({ command: "call", rest: ["glm_reason"], toolArgs: '{"prompt":"x"}' });
    expect(cli.overrides.outputDir).toBe("/tmp/o");
  });
});
