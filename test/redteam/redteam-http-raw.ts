// Raw-socket probes for the HTTP red team: every byte and every pause is the attacker's choice, and
// each probe reports what the server did with the connection (answered, closed, and when).
import net from "node:net";

export interface Probe {
  /** Status of the first response, or undefined when none came. */
  status: number | undefined;
  /** Headers of the first response (lower-cased names). */
  headers: Record<string, string>;
  /** Everything the server sent. */
  text: string;
  /** Whether the server closed the socket before `holdMs` ran out. */
  closedByServer: boolean;
  /** Milliseconds from connect to the server's close (or to the give-up). */
  ms: number;
}

export interface ProbeScript {
  /** Written once connected. */
  first?: string;
  /** Written every `dripEveryMs` after `first`. */
  drip?: string;
  dripEveryMs?: number;
  /** How long the attacker keeps the socket before giving up. */
  holdMs: number;
}

export function probe(port: number, script: ProbeScript): Promise<Probe> {
  return new Promise((resolve) => {
    const started = Date.now();
    const sock = net.connect(port, "127.0.0.1");
    let text = "";
    let drip: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(drip);
      clearTimeout(giveUp);
      sock.destroy();
      const [head = ""] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(":");
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1];
      resolve({
        status: status ? Number(status) : undefined,
        headers,
        text,
        closedByServer,
        ms: Date.now() - started,
      });
    };
    const giveUp = setTimeout(() => finish(false), script.holdMs);
    sock.on("connect", () => {
      if (script.first) sock.write(script.first);
      if (script.drip !== undefined)
        drip = setInterval(() => sock.writable && sock.write(script.drip!), script.dripEveryMs ?? 500);
    });
    sock.on("data", (d: Buffer) => (text += d.toString("utf8")));
    sock.on("end", () => finish(true));
    sock.on("close", () => finish(true));
    sock.on("error", () => finish(true));
  });
}

/** A complete HTTP/1.1 request (keep-alive unless the lines say otherwise). */
export function request(lines: string[], body = ""): string {
  return [...lines, `Content-Length: ${Buffer.byteLength(body)}`, "", body].join("\r\n");
}
