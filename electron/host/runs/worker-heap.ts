// The V8 heap a scenario worker gets. A loop with many tasks keeps each suspended task's state (its
// promise, the await's reaction, the resolver the next step calls) alive for one iteration: with
// 100,000 tasks that is some 35 MB that must survive every young-generation collection, and V8's
// default young generation (3 x 16 MB) copies it again and again and promotes it to the old
// generation. The tasks themselves (about 1 KB each) do move to the old generation, whose first
// limit is so small that a full collection comes while they are being created.
// So: a young generation of 3 x 128 MB, and an old generation that starts at 256 MB. V8 grows
// the young generation only as far as a scenario needs, and the old generation's start is a
// threshold, not memory taken: a small scenario uses no more memory for either.
// Measured with workload C (bench/c_tasks.ts, 100,000 tasks x 10 steps) in a worker: 1.1M task
// steps/s with V8's defaults, 1.2-1.3M with the young generation, 1.3-1.45M with both.
import v8 from 'node:v8';

/** Young generation of a scenario worker, in MB (V8 splits it into two semi-spaces and a large-object space of a third each). */
export const SCENARIO_YOUNG_GENERATION_MB = 384;

/** The old generation's first size (MB): no full collection before the heap reaches it. */
export const SCENARIO_INITIAL_OLD_GENERATION_MB = 256;

/** `resourceLimits` of a scenario worker. */
export const SCENARIO_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: SCENARIO_YOUNG_GENERATION_MB } as const;

/** The same heap as V8 flags, for a process that runs the engine outside a worker (the benchmarks). */
export const SCENARIO_V8_FLAGS = [`--max-semi-space-size=${SCENARIO_YOUNG_GENERATION_MB / 3}`, `--initial-old-space-size=${SCENARIO_INITIAL_OLD_GENERATION_MB}`];

let applied = false;

/**
 * Gives every worker created from now on the old generation's first size. A Worker has no option
 * for it (resourceLimits only caps), and V8 reads the flag when it sets up an isolate's heap, so
 * setting it in the host before the first worker starts reaches them all and nothing else. Node
 * and Electron's main process both start V8 with --no-freeze-flags-after-init, which is what lets
 * v8.setFlagsFromString change a flag at this point.
 */
export function applyScenarioHeapFlags(): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString(`--initial-old-space-size=${SCENARIO_INITIAL_OLD_GENERATION_MB}`);
}
