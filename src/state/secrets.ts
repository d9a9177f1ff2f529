// Secrets no log line, result or error may show: the API key, the HTTP token, and the passwords in
// the Redis and proxy URLs (userinfo or query, e.g. redis://host/0?password=PW).
import type { Config } from "../config.js";
import { urlSecrets } from "../util/url-credentials.js";

export function secretsOf(config: Config): (string | undefined)[] {
  return [
    config.apiKey,
    config.http.token,
    ...urlSecrets(config.store.redisUrl),
    ...urlSecrets(config.proxyEnv.httpsProxy),
    ...urlSecrets(config.proxyEnv.httpProxy),
  ];
}
