// deploy/nginx as compose mounts it, checked by nginx itself (nginx -t). Needs the binary: runs in
// npm run test:replicas (vitest.replicas.config.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { requireNginx, NGINX } from "../replicas/cluster.js";

const read = (p: string) => readFileSync(path.join(ROOT, p), "utf8");

describe("nginx", () => {
  it("accepts the shipped server block and upstream as compose mounts them", () => {
    requireNginx();
    const dir = mkdtempSync(path.join(os.tmpdir(), "glm-mcp-nginx-t-"));
    try {
      // conf.d order (alphabetical), the compose host name pointed at loopback so nginx can resolve it.
      writeFileSync(path.join(dir, "glm-mcp.conf"), read("deploy/nginx/glm-mcp.conf"));
      writeFileSync(
        path.join(dir, "upstream.conf"),
        read("deploy/nginx/upstream.conf").replace("glm-mcp:3000", "127.0.0.1:3000"),
      );
      writeFileSync(
        path.join(dir, "nginx.conf"),
        `pid ${dir}/nginx.pid; error_log ${dir}/error.log; events {} http { include ${dir}/glm-mcp.conf; include ${dir}/upstream.conf; }`,
      );
      const t = spawnSync(NGINX, ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf")], { encoding: "utf8" });
      expect(t.stderr).toMatch(/test is successful/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
