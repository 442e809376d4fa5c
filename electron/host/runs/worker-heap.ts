// The V8 heap a scenario worker gets. A loop with many tasks keeps each suspended task's state (its
// promise, the await's reaction, the resolver the next step calls) alive for one iteration: with
// 100,000 tasks that is some 40 MB that must survive a young-generation collection, and V8's
// default young generation (3 x 16 MB) copies it again and again and promotes it to the old
// generation. A young generation of 3 x 128 MB lets that state die young. V8 grows it only as far
// as the scenario needs: a small scenario does not use more memory for it.
// Measured with workload C (bench/c_tasks.ts, 100,000 tasks x 10 steps): 1.1M task steps/s with
// the default, 1.5M with this.

/** Young generation of a scenario worker, in MB (V8 splits it into two semi-spaces and a large-object space of a third each). */
export const SCENARIO_YOUNG_GENERATION_MB = 384;

/** The same as the `--max-semi-space-size` V8 flag (MB), for a process that runs the engine outside a worker (the benchmarks). */
export const SCENARIO_SEMI_SPACE_MB = SCENARIO_YOUNG_GENERATION_MB / 3;

/** `resourceLimits` of a scenario worker. */
export const SCENARIO_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: SCENARIO_YOUNG_GENERATION_MB } as const;
