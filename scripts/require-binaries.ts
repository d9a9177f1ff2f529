// Preflight of `npm run test:replicas`: the suites it runs need a real redis-server and nginx. When
// one is missing, one line says how to get it (never a skip: the run fails).
import { spawnSync } from "node:child_process";

const BINARIES = [
  {
    name: "redis-server",
    bin: process.env.REDIS_SERVER_BIN ?? "redis-server",
    args: ["--version"],
    env: "REDIS_SERVER_BIN",
  },
  { name: "nginx", bin: process.env.NGINX_BIN ?? "nginx", args: ["-v"], env: "NGINX_BIN" },
];

const missing = BINARIES.filter(({ bin, args }) => {
  const probe = spawnSync(bin, args, { stdio: "ignore" });
  return probe.error !== undefined || probe.status !== 0;
});
if (missing.length > 0) {
  const names = missing.map((m) => m.name).join(" and ");
  const vars = missing.map((m) => m.env).join(" / ");
  console.error(
    `npm run test:replicas needs ${names}, not found on PATH: install ${missing.length > 1 ? "them" : "it"} (Debian/Ubuntu: sudo apt-get install -y ${missing.map((m) => m.name).join(" ")}; macOS: brew install ${missing.map((m) => (m.name === "redis-server" ? "redis" : m.name)).join(" ")}) or point ${vars} at ${missing.length > 1 ? "them" : "it"}.`,
  );
  process.exit(1);
}
