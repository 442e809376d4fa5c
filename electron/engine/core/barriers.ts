// Barrier kinds shared by the loop, futures and tasks (their own module so that futures.ts and
// tasks.ts can read them without a load-order dependency on base-events.ts).

/** No step is in progress: the drain runs callbacks synchronously. */
export const BARRIER_NONE = 0;
/** A native task step is running in microtasks; it ends when the task suspends on a Future or settles. */
export const BARRIER_HARD = 1;
/** A plain awaiter step; it ends once the microtasks queued so far have run. */
export const BARRIER_SOFT = 2;
/**
 * A native task step has begun, but the microtasks queued before it have not all run yet: a
 * Future's then() called from those belongs to other code and must not count as the task
 * suspending. A microtask queued at the start of the step turns this into BARRIER_HARD.
 */
export const BARRIER_ARMING = 3;
