// Which IP addresses are local/private, and a DNS lookup that refuses to connect to them.
// The URL check (isPrivateUrl) only sees the host NAME; a public-looking name can still resolve
// to 127.0.0.1, 10.x or the cloud metadata address (an /etc/hosts entry, a DNS rebinding domain).
// The lookup below runs at connect time, so the address it checks is the one the socket uses:
// there is no gap between check and connect for a rebinding answer to slip through.
import dns, { type LookupAddress, type LookupAllOptions, type LookupOptions } from "node:dns";
import net from "node:net";
import { Agent } from "undici";

/** True for loopback, private, link-local, CGNAT, unspecified and unreadable addresses (IPv4 or IPv6). */
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return isPrivateIPv4(ip);
  if (net.isIPv6(ip)) return isPrivateIPv6(ip);
  return true; // not an address at all: refuse rather than guess
}

function isPrivateIPv4(ip: string): boolean {
  const [a = 0, b = 0] = ip.split(".").map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) // carrier-grade NAT, also Tailscale
  );
}

/** The eight 16-bit groups of an IPv6 address (any dotted IPv4 tail folded into two groups). */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.replace(/%.*$/, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1].split(".").map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups =
    tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

function embeddedIPv4(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function isPrivateIPv6(ip: string): boolean {
  const g = ipv6Groups(ip);
  if (!g) return true; // net.isIPv6 accepted it but we cannot read it: refuse rather than guess
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  // ::a.b.c.d (IPv4-compatible, also :: and ::1), ::ffff:a.b.c.d (IPv4-mapped; the URL parser
  // writes ::ffff:127.0.0.1 as ::ffff:7f00:1), ::ffff:0:a.b.c.d (IPv4-translated) and
  // 64:ff9b::a.b.c.d (NAT64) all reach the embedded IPv4 address: judge that address.
  if (
    zeroTo(6) ||
    (zeroTo(5) && g5 === 0xffff) ||
    (zeroTo(4) && g4 === 0xffff && g5 === 0) ||
    (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
  ) {
    return isPrivateIPv4(embeddedIPv4(g6, g7));
  }
  if (g0 === 0x2002) return isPrivateIPv4(embeddedIPv4(g1, g2)); // 6to4 carries an IPv4 address too
  // fc00::/7 unique-local, fe80::/10 link-local, fec0::/10 old site-local.
  return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0;
}

/** Thrown (through the socket) when a host name resolves to a private address; fetchUrlBytes turns it into the refusal sentence. */
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

/**
 * A lookup for net.connect that resolves every address of the name and fails with
 * PrivateAddressError if ANY is private (a name with one public and one private address could
 * otherwise land on the private one), else answers in the shape the caller asked for.
 */
export function createPublicOnlyLookup(resolve: Resolver = systemResolver): ConnectLookup {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, options.all ? [] : "", undefined);
      const bad = addresses.find((a) => isPrivateAddress(a.address));
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

// Tests swap the resolver to map made-up public names to a local server; production uses node:dns.
let resolver: Resolver = systemResolver;
let agent: Agent | undefined;

/** The one shared dispatcher for direct downloads when private hosts are off (created on first use, then reused). */
export function publicOnlyAgent(): Agent {
  agent ??= new Agent({ connect: { lookup: createPublicOnlyLookup((h, o, cb) => resolver(h, o, cb)) } });
  return agent;
}

/** For tests only: resolve names with `fake` (or node:dns again when omitted). */
export function setResolverForTests(fake?: Resolver): void {
  resolver = fake ?? systemResolver;
}
