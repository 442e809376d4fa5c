// The shape of `loop.snapshot()`: the loop's queues and tasks at one instant, cheap enough to take
// every frame. The host validates it with this schema before it crosses to the renderer.
import { z } from 'zod';
import { transportInfoSchema } from './transport-events';

/** A callback waiting in the ready queue. */
export const readyEntrySchema = z.object({
  id: z.number().int(),
  callback: z.string(),
  args: z.string(),
});

/** A timer on the heap. */
export const scheduledEntrySchema = z.object({
  id: z.number().int(),
  when: z.number(),
  callback: z.string(),
});

/** A task that is not done yet. */
export const taskEntrySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** 'running' while its step is executing, else 'pending'. */
  state: z.enum(['pending', 'running']),
  /** Rendering of what the task waits for, or null when it is scheduled to step. */
  awaiting: z.string().nullable(),
  /** The id of the Future or Task it waits for, when it waits for one: the edges of the await tree. */
  awaitingId: z.number().int().optional(),
});

/** The loop's state at one instant. */
export const loopSnapshotSchema = z.object({
  time: z.number(),
  iteration: z.number().int(),
  clock: z.enum(['real', 'virtual']),
  running: z.boolean(),
  closed: z.boolean(),
  /** The ready queue in run order (at most `limit` entries; `readyCount` has the total). */
  ready: z.array(readyEntrySchema),
  readyCount: z.number().int(),
  /** Timers by deadline (at most `limit` entries; `scheduledCount` has the total). */
  scheduled: z.array(scheduledEntrySchema),
  scheduledCount: z.number().int(),
  /** Tasks not yet done (at most `limit` entries; `taskCount` has the total). */
  tasks: z.array(taskEntrySchema),
  taskCount: z.number().int(),
  /** Open transports, filled by the I/O layer's loop. */
  transports: z.array(transportInfoSchema).optional(),
});

/** See {@link readyEntrySchema}. */
export type ReadyEntry = z.infer<typeof readyEntrySchema>;
/** See {@link scheduledEntrySchema}. */
export type ScheduledEntry = z.infer<typeof scheduledEntrySchema>;
/** See {@link taskEntrySchema}. */
export type TaskEntry = z.infer<typeof taskEntrySchema>;
/** See {@link loopSnapshotSchema}. */
export type LoopSnapshot = z.infer<typeof loopSnapshotSchema>;
