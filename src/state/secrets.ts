// Secrets no log line, result or error may show: the API key, the HTTP token, and the passwords in
// the Redis and proxy URLs (userinfo or query, e.g. redis://host/0?password=PW).
import type { Config } from "../config.js";
import { urlSecrets } from "../util/url-credentials.js";

// Config is frozen: the list is worked out once per config, not (with URL parsing) on every call.
const known = new WeakMap<Config, readonly (string | undefined)[]>();

export function secretsOf(config: Config): readonly (string | undefined)[] {
  let list = known.get(config);
  if (!list) {
    list = [
      config.apiKey,
      config.http.token,
      ...urlSecrets(config.store.redisUrl),
      ...urlSecrets(config.proxyEnv.httpsProxy),
      ...urlSecrets(config.proxyEnv.httpProxy),
    ];
    known.set(config, list);
  }
  return list;
}
