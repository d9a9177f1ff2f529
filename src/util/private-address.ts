// Which IP addresses are local, private or reserved: no public web server lives there, so the
// server never fetches them for a client unless private hosts are explicitly allowed.
import net from "node:net";

/** True for loopback, private, link-local, CGNAT, unspecified and unreadable addresses (IPv4 or IPv6). */
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return isPrivateIPv4(ip);
  if (net.isIPv6(ip)) return isPrivateIPv6(ip);
  return true; // not an address at all: refuse rather than guess
}

// Special-purpose ranges (IANA IPv4 Special-Purpose Address Registry, RFC 6890): none of them is
// a public web server, so all count as private. [first octets..., prefix length]
const PRIVATE_V4: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 0, 0, 8], // "this network"
  [10, 0, 0, 8],
  [100, 64, 0, 10], // carrier-grade NAT, also Tailscale
  [127, 0, 0, 8],
  [169, 254, 0, 16], // link-local, cloud metadata
  [172, 16, 0, 12],
  [192, 0, 0, 24], // IETF protocol assignments
  [192, 0, 2, 24], // TEST-NET-1
  [192, 88, 99, 24], // 6to4 relay anycast (deprecated)
  [192, 168, 0, 16],
  [198, 18, 0, 15], // benchmarking
  [198, 51, 100, 24], // TEST-NET-2
  [203, 0, 113, 24], // TEST-NET-3
  [224, 0, 0, 4], // multicast
  [240, 0, 0, 4], // reserved, and 255.255.255.255 broadcast
];

function isPrivateIPv4(ip: string): boolean {
  const [a = 0, b = 0, c = 0, d = 0] = ip.split(".").map(Number);
  const value = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  return PRIVATE_V4.some(([p, q, r, bits]) => {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (value & mask) >>> 0 === ((((p << 24) | (q << 16) | (r << 8)) >>> 0) & mask) >>> 0;
  });
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
  // fc00::/7 unique-local, fe80::/10 link-local, fec0::/10 old site-local, ff00::/8 multicast,
  // 2001:db8::/32 documentation, 100::/64 discard-only.
  return (
    (g0 & 0xfe00) === 0xfc00 ||
    (g0 & 0xffc0) === 0xfe80 ||
    (g0 & 0xffc0) === 0xfec0 ||
    (g0 & 0xff00) === 0xff00 ||
    (g0 === 0x2001 && g1 === 0x0db8) ||
    (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0)
  );
}
