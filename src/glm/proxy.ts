// The outbound proxy agent (HTTPS_PROXY / HTTP_PROXY / NO_PROXY), one per config, shared by the
// realtime WebSocket and media downloads. undefined = no proxy configured.
import { EnvHttpProxyAgent, type Dispatcher } from "undici";
import type { Config } from "../config.js";

const proxyDispatchers = new WeakMap<Config, Dispatcher | undefined>();

export function proxyDispatcher(config: Config): Dispatcher | undefined {
  if (proxyDispatchers.has(config)) return proxyDispatchers.get(config);
  const { httpProxy, httpsProxy, noProxy } = config.proxyEnv;
  const dispatcher =
    httpProxy || httpsProxy ? new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy }) : undefined;
  proxyDispatchers.set(config, dispatcher);
  return dispatcher;
}
