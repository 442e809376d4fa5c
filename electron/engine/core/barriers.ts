// Barrier kinds shared by the loop, futures and tasks (their own module so that futures.ts and
// tasks.ts can read them without a load-order dependency on base-events.ts).

/** No step is in progress: the drain runs callbacks synchronously. */
export const BARRIER_NONE = 0;
/** A native task step is running in microtasks; it ends when the task suspends on a Future or settles. */
export const BARRIER_HARD = 1;
/** A plain awaiter step; it ends once the microtasks queued so far have run. */
export const BARRIER_SOFT = 2;
