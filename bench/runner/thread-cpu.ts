// The CPU time of the calling thread (a scenario's worker), for the runner's workloads: other work on
// a shared machine stretches a run's wall time far more than its CPU time.
import { readFileSync } from 'node:fs';

/** This thread's CPU time in nanoseconds where Linux tells it, else null. */
export function threadCpuNs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]);
  } catch {
    return null;
  }
}
