// Secrets no log line, result or error may show: the API key, the HTTP token and a Redis password.
import type { Config } from "../config.js";

export function secretsOf(config: Config): (string | undefined)[] {
  const redisPassword = config.store.redisUrl
    ? decodeURIComponent(new URL(config.store.redisUrl).password)
    : undefined;
  return [config.apiKey, config.http.token, redisPassword || undefined];
}
