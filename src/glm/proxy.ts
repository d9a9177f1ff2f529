// The outbound proxy agent for GLM calls (HTTPS_PROXY / HTTP_PROXY / NO_PROXY), one per setting,
// shared by the realtime WebSocket and downloads; made by the outbound factory (outbound.ts).
import type { Dispatcher } from "undici";
import type { Config } from "../config.js";
import { proxyDispatcher as fromEnv } from "./outbound.js";

export function proxyDispatcher(config: Config): Dispatcher | undefined {
  return fromEnv(config.proxyEnv);
}
