// Global setup: the run fails if any process started during it is still alive at the end (a server
// a test forgot to stop, a grandchild under npx that outlived its parent). A process is ours when
// it descends from vitest, or sits in vitest's process group and was not there when the run began
// (orphans are re-parented away from vitest but keep their group). Leftovers are named, then killed.
import { allProcesses, descendantsOf, procInfo, type ProcInfo } from "./processes.js";

const GRACE_MS = 5_000;

export default function setup(): () => Promise<void> {
  const self = procInfo(process.pid)!;
  const before = new Set(allProcesses().map((p) => p.pid));

  const leftovers = (): ProcInfo[] => {
    const workers = new Set(
      allProcesses()
        .filter((p) => p.ppid === process.pid && /vitest|tinypool|worker/i.test(p.cmdline))
        .map((p) => p.pid),
    );
    const found = new Map<number, ProcInfo>();
    for (const p of descendantsOf(process.pid)) found.set(p.pid, p);
    for (const p of allProcesses())
      if (p.pgid === self.pgid && !before.has(p.pid) && p.pid !== process.pid) found.set(p.pid, p);
    // vitest's own workers are vitest's to close; what they spawned is the tests'.
    return [...found.values()].filter((p) => !workers.has(p.pid));
  };

  return async () => {
    const deadline = Date.now() + GRACE_MS; // a process killed in the last test may need a moment
    let left = leftovers();
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      left = leftovers();
    }
    if (left.length === 0) return;
    for (const p of left) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    process.exitCode = 1; // vitest only logs an error thrown here
    throw new Error(
      `the test run left ${left.length} process(es) alive (now killed): ${left.map((p) => `${p.pid} ${p.cmdline}`).join("; ")}`,
    );
  };
}
