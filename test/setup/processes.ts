// Reading the process table from /proc (Linux): who is a child of whom, and who belongs to a
// process group. Used to find a server started under npx and to catch processes a test run leaves.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  /** Start time in clock ticks since boot. */
  start: number;
  cmdline: string;
}

/** One process, or undefined when it is gone (or already a zombie: exited, only not yet reaped). */
export function procInfo(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const state = fields[0]!;
    if (state === "Z" || state === "X") return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      state,
      start: Number(fields[19]),
      cmdline,
    };
  } catch {
    return undefined;
  }
}

export function allProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const info = procInfo(Number(name));
    if (info) out.push(info);
  }
  return out;
}

/** Every living descendant of `pid` (children, their children, …). */
export function descendantsOf(pid: number): ProcInfo[] {
  const all = allProcesses();
  const found: ProcInfo[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const p of all)
      if (p.ppid === parent) {
        found.push(p);
        frontier.push(p.pid);
      }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  return procInfo(pid) !== undefined;
}
