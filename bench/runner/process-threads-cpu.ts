// CPU time of this process's threads, split into the main thread (the host) and all others but the
// run's worker (V8's compiler and garbage collector threads, the event tick): on a machine with few
// cores, what these take from the worker's core explains why a run's wall time grows more than its
// own CPU time does.
import { readFileSync, readdirSync } from 'node:fs';

/** CPU nanoseconds of each live thread of this process, by thread id, where Linux tells it; else null. */
export function threadsCpuNs(): Map<string, number> | null {
  try {
    const byThread = new Map<string, number>();
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        byThread.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ')[0]));
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return byThread;
  } catch {
    return null;
  }
}

/**
 * Milliseconds of CPU the main thread and the other threads took between two readings. A thread that
 * started and ended in between (the run's worker) is in neither; one that started in between and
 * lives on counts whole.
 */
export function threadsCpuMsBetween(before: Map<string, number>, after: Map<string, number>): { main: number; others: number } {
  const main = String(process.pid);
  let [mainNs, othersNs] = [0, 0];
  for (const [tid, ns] of after) {
    const spent = ns - (before.get(tid) ?? 0);
    if (tid === main) mainNs += spent;
    else othersNs += spent;
  }
  return { main: +(mainNs / 1e6).toFixed(1), others: +(othersNs / 1e6).toFixed(1) };
}
