// The one outbound connection factory. Every connection the server opens goes through a
// dispatcher made here:
//   - GLM's own API and realtime socket: the configured proxy (HTTPS_PROXY / HTTP_PROXY /
//     NO_PROXY) or a direct agent. GLM_BASE_URL is the operator's choice (tests and local gateways
//     point it at 127.0.0.1), so the public-only rule does not apply to it.
//   - Downloads made for a client (media URLs, redirects): when private hosts are not allowed,
//     EVERY path applies the public-only rule: a proxied request is refused before it is handed to
//     the proxy if its host is or resolves to a private address; a direct request (no proxy, or a
//     host matched by NO_PROXY) resolves the name at connect time and refuses private answers, so
//     a rebinding DNS answer cannot slip in between check and connect.
import dns, { type LookupAddress, type LookupAllOptions, type LookupOptions } from "node:dns";
import net from "node:net";
import { Agent, EnvHttpProxyAgent, type Dispatcher } from "undici";
import { isPrivateAddress } from "../util/private-address.js";

export { isPrivateAddress } from "../util/private-address.js";

export interface ProxyEnv {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly noProxy?: string;
}

/** Thrown (through the socket) when a host is or resolves to a private address. */
export class PrivateAddressError extends Error {
  override name = "PrivateAddressError";
  readonly code = "EPRIVATEADDRESS";
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to the private address ${address}`);
  }
}

/** The resolver underneath: node:dns lookup, always asked for every address. */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** The `lookup` net.connect calls: one address, or all of them when options.all is set. */
export type ConnectLookup = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) => dns.lookup(hostname, options, callback);

// Tests swap the resolver to map made-up public names to a local server; production uses node:dns.
let resolver: Resolver = systemResolver;
const currentResolver: Resolver = (h, o, cb) => resolver(h, o, cb);

/** For tests only: resolve names with `fake` (or node:dns again when omitted). */
export function setResolverForTests(fake?: Resolver): void {
  resolver = fake ?? systemResolver;
}

// Tests have no public server: they let a loopback address stand in for one, explicitly.
let publicForTests = new Set<string>();

/** For tests only: treat these addresses as public (none again when omitted). */
export function treatAsPublicForTests(addresses: readonly string[] = []): void {
  publicForTests = new Set(addresses);
}

const refused = (address: string) => isPrivateAddress(address) && !publicForTests.has(address);

/**
 * A lookup for net.connect that resolves every address of the name and fails with
 * PrivateAddressError if ANY is private (a name with one public and one private address could
 * otherwise land on the private one), else answers in the shape the caller asked for.
 */
export function createPublicOnlyLookup(resolve: Resolver = systemResolver): ConnectLookup {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, options.all ? [] : "", undefined);
      const bad = addresses.find((a) => refused(a.address));
      const first = addresses[0];
      if (bad || !first) {
        const failure = bad
          ? new PrivateAddressError(hostname, bad.address)
          : Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
        return callback(failure, options.all ? [] : "", undefined);
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

/** Resolves `hostname` (or reads an IP literal) and fails if it is or reaches a private address. */
function checkPublicHost(hostname: string, done: (err: Error | null) => void): void {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host)) return done(refused(host) ? new PrivateAddressError(host, host) : null);
  createPublicOnlyLookup(currentResolver)(host, { all: true }, (err) => done(err));
}

/**
 * An interceptor that checks every request's host before it is dispatched: IP literals (which
 * net.connect never looks up) and names sent through a proxy (which resolves them itself).
 */
const publicOnlyInterceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const origin = typeof opts.origin === "string" ? new URL(opts.origin) : opts.origin;
  if (!origin) return dispatch(opts, handler);
  checkPublicHost(origin.hostname, (err) => {
    if (err) {
      const h = handler as { onResponseError?: (c: unknown, e: Error) => void; onError?: (e: Error) => void };
      if (h.onResponseError) h.onResponseError(null, err);
      else h.onError?.(err);
      return;
    }
    dispatch(opts, handler);
  });
  return true;
};

function hasProxy(env: ProxyEnv): boolean {
  return Boolean(env.httpProxy || env.httpsProxy);
}

const proxyDispatchers = new Map<string, Dispatcher>();
const publicOnlyDispatchers = new Map<string, Dispatcher>();
const keyOf = (env: ProxyEnv) => JSON.stringify([env.httpProxy, env.httpsProxy, env.noProxy]);

/** The proxy agent for GLM calls and private-allowed downloads; undefined = no proxy configured. */
export function proxyDispatcher(env: ProxyEnv): Dispatcher | undefined {
  if (!hasProxy(env)) return undefined;
  const key = keyOf(env);
  let d = proxyDispatchers.get(key);
  if (!d) {
    const { httpProxy, httpsProxy, noProxy } = env;
    d = new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy });
    proxyDispatchers.set(key, d);
  }
  return d;
}

/**
 * The dispatcher for downloads when private hosts are not allowed: proxied or direct, every
 * request is checked (see the header). One per proxy setting, created on first use.
 */
export function publicOnlyDispatcher(env: ProxyEnv = {}): Dispatcher {
  const key = keyOf(env);
  let d = publicOnlyDispatchers.get(key);
  if (!d) {
    // The connect option reaches only the direct agent inside EnvHttpProxyAgent (its proxy agents
    // connect to the proxy with their own connector), so a local proxy stays reachable.
    const connect = { lookup: createPublicOnlyLookup(currentResolver) };
    const { httpProxy, httpsProxy, noProxy } = env;
    const base = hasProxy(env)
      ? new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy, connect })
      : new Agent({ connect });
    d = base.compose(publicOnlyInterceptor);
    publicOnlyDispatchers.set(key, d);
  }
  return d;
}

/**
 * The dispatcher for one download hop. Private hosts off: always the public-only one. Private
 * hosts allowed: a private host is fetched directly (a proxy cannot reach it), anything else
 * through the proxy when one is configured.
 */
export function downloadDispatcher(
  env: ProxyEnv,
  allowPrivate: boolean,
  hostIsPrivate: boolean,
): Dispatcher | undefined {
  if (!allowPrivate) return publicOnlyDispatcher(env);
  return hostIsPrivate ? undefined : proxyDispatcher(env);
}
