// Output files never land outside the output directory, whatever names tools pass in: traversal
// names are refused by confinedPath, and saveOutputFile sanitises prefix and extension.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  readFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { confinedPath, saveOutputFile } from "../../src/output/files.js";
import { fitText } from "../../src/output/size.js";

let root: string; // a sandbox: <root>/out is the output dir, anything else in <root> is "outside"
let out: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "glm-mcp-outsec-"));
  out = path.join(root, "out");
  mkdirSync(out);
  writeFileSync(path.join(root, "victim.txt"), "original");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file under root except inside the output dir, with contents. */
function outside(): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (p === out) continue;
      if (e.isDirectory()) walk(p);
      else found[path.relative(root, p)] = readFileSync(p, "utf8");
    }
  };
  walk(root);
  return found;
}

describe("confinedPath", () => {
  it.each([
    "../victim.txt",
    "../../etc/passwd",
    "/etc/passwd",
    "sub/../../victim.txt",
    "..",
    ".",
    "",
    "sub/file.txt", // subdirectories are refused too: one flat directory
    `..${path.sep}victim.txt`,
    "./../victim.txt",
  ])("refuses %j", (name) => {
    expect(() => confinedPath(out, name)).toThrow(/outside the output directory/);
  });

  it("accepts plain names and keeps them inside", () => {
    expect(confinedPath(out, "a.txt")).toBe(path.join(out, "a.txt"));
    // On POSIX a backslash is an ordinary character: the Windows-style name stays a file inside.
    const win = confinedPath(out, "..\\..\\victim.txt");
    expect(path.dirname(win)).toBe(out);
  });

  it("never returns a path outside the directory, for any name (property)", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("a", ".", "/", "\\", "..", "~", ":", "%2e", "\u0000", "C:"),
          maxLength: 20,
        }),
        (name) => {
          let p: string;
          try {
            p = confinedPath(out, name);
          } catch {
            return true; // refused is fine
          }
          return path.dirname(p) === out;
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("saveOutputFile", () => {
  it.each([
    ["../../victim", "txt"],
    ["/etc/passwd", "txt"],
    ["..", "../../victim.txt"],
    ["a/../../b", "/x"],
    ["%2e%2e%2fvictim", "txt"],
    ["C:\\Windows\\evil", "exe"],
    ["", ""],
  ])("prefix %j, ext %j: writes one file inside the output dir, nothing outside", async (prefix, ext) => {
    const before = outside();
    const f = await saveOutputFile(out, prefix, ext, "data", "text/plain");
    expect(path.dirname(f.path)).toBe(out);
    expect(readdirSync(out)).toEqual([f.name]); // no temp/partial file left behind
    expect(f.name).toMatch(/^[A-Za-z0-9-]+-\d{8}T\d{6}-[0-9a-f]{8}\.[A-Za-z0-9]+$/);
    expect(outside()).toEqual(before);
    expect(readFileSync(path.join(root, "victim.txt"), "utf8")).toBe("original");
  });

  it("random prefixes and extensions never escape (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.string({ maxLength: 20 }), async (prefix, ext) => {
        const f = await saveOutputFile(out, prefix, ext, "x", "text/plain");
        return (
          path.dirname(f.path) === out && /^[A-Za-z0-9-]+-\d{8}T\d{6}-[0-9a-f]{8}\.[A-Za-z0-9]+$/.test(f.name)
        );
      }),
      { numRuns: 200 },
    );
    expect(Object.keys(outside())).toEqual(["victim.txt"]);
  });

  it("does not follow a symlink planted inside the output dir", async () => {
    // A planted link cannot be the target: names are fresh and random, and the temp file is created exclusively.
    symlinkSync(path.join(root, "victim.txt"), path.join(out, "planted.txt"));
    const f = await saveOutputFile(out, "planted", "txt", "new data", "text/plain");
    expect(f.path).not.toBe(path.join(out, "planted.txt"));
    expect(readFileSync(path.join(root, "victim.txt"), "utf8")).toBe("original");
  });
});

describe("the output directory itself", () => {
  it("is created private (0700) and files are written 0600", async () => {
    const fresh = path.join(root, "fresh", "nested");
    const f = await saveOutputFile(fresh, "a", "txt", "secret answer", "text/plain");
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    expect(statSync(f.path).mode & 0o777).toBe(0o600);
  });

  it("refuses a symlinked, world-writable or non-directory output path with a sentence, writing nothing", async () => {
    const elsewhere = path.join(root, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(root, "link"));
    await expect(saveOutputFile(path.join(root, "link"), "a", "txt", "x", "text/plain")).rejects.toThrow(
      /symbolic link.*GLM_MCP_OUTPUT_DIR/,
    );
    expect(readdirSync(elsewhere)).toEqual([]);

    const open = path.join(root, "open");
    mkdirSync(open);
    chmodSync(open, 0o777);
    await expect(saveOutputFile(open, "a", "txt", "x", "text/plain")).rejects.toThrow(
      /writable by every user/,
    );
    expect(readdirSync(open)).toEqual([]);

    await expect(
      saveOutputFile(path.join(root, "victim.txt", "sub"), "a", "txt", "x", "text/plain"),
    ).rejects.toThrow(/Could not create the output directory .* \(ENOTDIR\): set GLM_MCP_OUTPUT_DIR/);
  });

  it("a long answer still comes back (cut) when the output directory is unusable", async () => {
    const fitted = await fitText(path.join(root, "victim.txt", "sub"), "x".repeat(100), "answer", 40);
    expect(fitted.truncated).toBe(true);
    expect(fitted.file).toBeUndefined();
    expect(fitted.text.startsWith("x".repeat(40))).toBe(true);
    expect(fitted.text).toMatch(/the rest could not be saved: Could not create the output directory/);
  });
});
