// The deployment files a team copies (Dockerfile, deploy/compose.yaml, deploy/k8s/, deploy/nginx/)
// hold the promises docs/deploy.md makes. Docker cannot run on the machines that run this suite,
// so the files are read and checked here; the nginx config is checked by nginx itself in
// deploy-nginx.test.ts (and run for real by test/replicas/), both in npm run test:replicas.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ROOT } from "../helpers/cli.js";

const read = (p: string) => readFileSync(path.join(ROOT, p), "utf8");
type Doc = any;
const yamlDocs = (p: string): Doc[] => parseAllDocuments(read(p)).map((d) => d.toJS());
const k8s = readdirSync(path.join(ROOT, "deploy/k8s")).flatMap((f) => yamlDocs(`deploy/k8s/${f}`));
const byKind = (kind: string, name?: string) =>
  k8s.filter((d) => d?.kind === kind && (name === undefined || d.metadata?.name === name));

/** Variables the README's settings table documents (a README test keeps it equal to what loadConfig reads). */
const documented = new Set([...read("README.md").matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]!));

describe("Dockerfile", () => {
  const docker = read("Dockerfile");
  it("runs as a non-root user with a /healthz healthcheck", () => {
    const users = [...docker.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe("node");
    expect(docker).toMatch(/HEALTHCHECK [^\n]*\\\n[^\n]*\/healthz/);
    expect(docker).toMatch(/^CMD \["node", "dist\/index\.cjs"\]/m);
  });
  it("builds with dev dependencies and ships only production ones, dist, and no secrets", () => {
    const stages = docker.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/RUN npm ci\b/);
    expect(stages[0]).toMatch(/RUN npm run build/);
    expect(stages[1]).toMatch(/RUN npm ci --omit=dev/);
    expect(stages[1]).toMatch(/COPY --from=build \/app\/dist/);
    expect(stages[1]).not.toMatch(/COPY (src|\.) /);
    const ignored = read(".dockerignore").split("\n");
    expect(ignored).toEqual(expect.arrayContaining([".env", ".env.*", "node_modules", ".git"]));
  });
  it("sets only variables the server reads", () => {
    const set = [...docker.matchAll(/\b(GLM_[A-Z_]+)=/g)].map((m) => m[1]!);
    expect(set.length).toBeGreaterThan(0);
    expect(set.filter((v) => !documented.has(v))).toEqual([]);
  });
});

describe("compose", () => {
  const compose = yamlDocs("deploy/compose.yaml")[0];
  it("runs 3 replicas sharing Redis and one output volume behind nginx", () => {
    const app = compose.services["glm-mcp"];
    expect(app.deploy.replicas).toBe(3);
    expect(app.environment.GLM_MCP_REDIS_URL).toBe("redis://redis:6379");
    expect(app.volumes).toContain("output:/data/output");
    expect(compose.services.redis).toBeDefined();
    for (const v of compose.services.nginx.volumes as string[]) {
      const file = v.split(":")[0]!;
      expect(existsSync(path.join(ROOT, "deploy", file)), file).toBe(true);
    }
  });
  it("sets only variables the server reads", () => {
    const set = Object.keys(compose.services["glm-mcp"].environment);
    expect(set.filter((v) => !documented.has(v))).toEqual([]);
  });
});

describe("Kubernetes", () => {
  const deployment = byKind("Deployment", "glm-mcp")[0];
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  it("probes /healthz with a Host the server accepts, as a non-root user", () => {
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet.path).toBe("/healthz");
      expect(probe.httpGet.httpHeaders).toContainEqual({ name: "Host", value: "localhost" });
    }
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });
  it("gives a stopping pod time to leave the Service and drain its calls", () => {
    const wait = Number(container.lifecycle.preStop.exec.command.at(-1));
    expect(wait).toBeGreaterThan(0);
    // preStop, then the server's 10 s drain grace, inside the termination grace period.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(wait + 10);
  });
  it("takes the key and the token from a Secret", () => {
    const fromSecret = (name: string) =>
      container.env.find((e: Doc) => e.name === name)?.valueFrom?.secretKeyRef;
    expect(fromSecret("GLM_API_KEY")).toEqual({ name: "glm-mcp", key: "GLM_API_KEY" });
    expect(fromSecret("GLM_MCP_HTTP_TOKEN")).toEqual({ name: "glm-mcp", key: "GLM_MCP_HTTP_TOKEN" });
    expect(byKind("Secret", "glm-mcp")[0].stringData).toHaveProperty("GLM_API_KEY");
  });
  it("has a Service, a PodDisruptionBudget below the replica count, and Redis", () => {
    expect(byKind("Service", "glm-mcp")).toHaveLength(1);
    const pdb = byKind("PodDisruptionBudget", "glm-mcp")[0];
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    const redisUrl = container.env.find((e: Doc) => e.name === "GLM_MCP_REDIS_URL").value as string;
    expect(byKind("Service", new URL(redisUrl).hostname)).toHaveLength(1);
  });
  it("sets only variables the server reads", () => {
    const set = container.env.map((e: Doc) => e.name as string);
    expect(set.filter((v: string) => !documented.has(v))).toEqual([]);
  });
});
