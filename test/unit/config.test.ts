import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("loadConfig", () => {
  it("defaults to the China endpoint, glm-4.7, a generous timeout and loopback HTTP", () => {
    const c = loadConfig({});
    expect(c.baseUrl).toBe("https://open.bigmodel.cn/api/paas/v4");
    expect(c.realtimeUrl).toBe("wss://open.bigmodel.cn/api/paas/v4/realtime");
    expect(c.defaultModel).toBe("glm-4.7");
    expect(c.timeoutMs).toBe(300_000);
    expect(c.http.host).toBe("127.0.0.1");
    expect(c.apiKey).toBeUndefined();
    expect(c.outputDir).toBe(path.join(os.tmpdir(), "glm-mcp"));
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("reads the key from GLM_API_KEY first, then the aliases", () => {
    expect(loadConfig({ ZHIPUAI_API_KEY: "zk", Z_AI_API_KEY: "zz" }).apiKey).toBe("zk");
    expect(loadConfig({ Z_AI_API_KEY: "zz" }).apiKeySource).toBe("Z_AI_API_KEY");
    expect(loadConfig({ GLM_API_KEY: "g", ZHIPUAI_API_KEY: "zk" }).apiKey).toBe("g");
  });

  it("selects region endpoints; GLM_BASE_URL wins", () => {
    expect(loadConfig({ GLM_REGION: "intl" }).baseUrl).toBe("https://api.z.ai/api/paas/v4");
    expect(loadConfig({ GLM_REGION: "intl", GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4/" }).baseUrl).toBe(
      "http://127.0.0.1:9/api/paas/v4",
    );
    expect(loadConfig({}).codingBaseUrl).toBeUndefined();
  });

  it("coding plan: standard endpoint kept, coding endpoint derived from it or set apart", () => {
    const cn = loadConfig({ GLM_CODING_PLAN: "1" });
    expect(cn.baseUrl).toBe("https://open.bigmodel.cn/api/paas/v4");
    expect(cn.codingBaseUrl).toBe("https://open.bigmodel.cn/api/coding/paas/v4");
    const intl = loadConfig({}, { region: "intl", codingPlan: true });
    expect(intl.baseUrl).toBe("https://api.z.ai/api/paas/v4");
    expect(intl.codingBaseUrl).toBe("https://api.z.ai/api/coding/paas/v4");
    const local = loadConfig({ GLM_CODING_PLAN: "1", GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4" });
    expect(local.codingBaseUrl).toBe("http://127.0.0.1:9/api/coding/paas/v4");
    const apart = loadConfig({
      GLM_CODING_PLAN: "1",
      GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4",
      GLM_CODING_BASE_URL: "http://127.0.0.1:8/v4/",
    });
    expect(apart.codingBaseUrl).toBe("http://127.0.0.1:8/v4");
    // An older setup naming the coding endpoint in GLM_BASE_URL: chat stays there, the rest goes beside it.
    const old = loadConfig({ GLM_CODING_PLAN: "1", GLM_BASE_URL: "https://api.z.ai/api/coding/paas/v4" });
    expect(old.baseUrl).toBe("https://api.z.ai/api/paas/v4");
    expect(old.codingBaseUrl).toBe("https://api.z.ai/api/coding/paas/v4");
    expect(() => loadConfig({ GLM_CODING_PLAN: "1", GLM_BASE_URL: "http://127.0.0.1:9/proxy" })).toThrow(
      /GLM_CODING_BASE_URL/,
    );
  });

  it("treats an mcpb placeholder left empty as unset", () => {
    const c = loadConfig({
      GLM_BASE_URL: "${user_config.base_url}",
      GLM_MCP_OUTPUT_DIR: "${user_config.output_dir}",
      GLM_API_KEY: "k-123456",
    });
    expect(c.baseUrl).toBe("https://open.bigmodel.cn/api/paas/v4");
    expect(c.outputDir).toBe(path.join(os.tmpdir(), "glm-mcp"));
  });

  it("fails clearly on malformed settings", () => {
    expect(() => loadConfig({ GLM_BASE_URL: "not a url" })).toThrow(ConfigError);
    expect(() => loadConfig({ GLM_BASE_URL: "ftp://x/y" })).toThrow(/https: or http:/);
    expect(() => loadConfig({ GLM_TIMEOUT_MS: "-5" })).toThrow(/GLM_TIMEOUT_MS/);
    expect(() => loadConfig({ GLM_REGION: "eu" })).toThrow(/GLM_REGION/);
    expect(() => loadConfig({ GLM_CODING_PLAN: "maybe" })).toThrow(/GLM_CODING_PLAN/);
    expect(() => loadConfig({ GLM_MCP_LOG_LEVEL: "loud" })).toThrow(/GLM_MCP_LOG_LEVEL/);
  });

  it("refuses a non-loopback HTTP bind without a token", () => {
    expect(() => loadConfig({}, { http: true, host: "0.0.0.0" })).toThrow(/token/);
    expect(
      loadConfig({ GLM_MCP_HTTP_TOKEN: "secret-token" }, { http: true, host: "0.0.0.0" }).http.host,
    ).toBe("0.0.0.0");
    expect(loadConfig({}, { http: true, host: "::1" }).http.enabled).toBe(true);
  });

  it("keeps proxy credentials out of the display value", () => {
    const c = loadConfig({ HTTPS_PROXY: "http://user:pass@proxy.local:8080", NO_PROXY: "localhost" });
    expect(c.proxy).toBe("http://user:***@proxy.local:8080/");
    expect(c.proxyEnv.httpsProxy).toBe("http://user:pass@proxy.local:8080");
  });

  it("reads the shared store and worker settings, refusing what cannot work", () => {
    const plain = loadConfig({});
    expect(plain.store).toEqual({
      redisUrl: undefined,
      redisDisplay: undefined,
      prefix: "glm-mcp",
      leaseMs: 30_000,
    });
    expect(plain.workers).toBe(1);
    const c = loadConfig(
      { GLM_MCP_REDIS_URL: "redis://:s3cret@cache.local:6379/2", GLM_MCP_HTTP: "1" },
      { workers: "4" },
    );
    expect(c.store.redisDisplay).toBe("redis://:***@cache.local:6379/2");
    expect(c.workers).toBe(4);
    expect(() => loadConfig({ GLM_MCP_REDIS_URL: "http://cache.local" })).toThrow(
      /GLM_MCP_REDIS_URL must use redis: or rediss:/,
    );
    expect(() => loadConfig({ GLM_MCP_HTTP: "1", GLM_MCP_WORKERS: "2" })).toThrow(
      /--workers 2 needs a shared store: set GLM_MCP_REDIS_URL/,
    );
    expect(() => loadConfig({ GLM_MCP_REDIS_URL: "redis://r", GLM_MCP_WORKERS: "2" })).toThrow(
      /--workers 2 needs --http/,
    );
    expect(() => loadConfig({ GLM_MCP_LEASE_MS: "10" })).toThrow(
      /GLM_MCP_LEASE_MS must be a whole number from 1000/,
    );
  });
});
