// The engine event schema: everything the event loop reports to an attached sink. Types are
// inferred from the zod schemas so that the host can validate events at its boundary with the
// very definitions the engine compiles against (STYLE.md rule 5).
import { z } from 'zod';
import { observerEventSchema, type ObserverEvent } from './observer-events';
import { transportEventSchema, type TransportEvent } from './transport-events';

const id = z.number().int().nonnegative();
/**
 * Loop time (seconds, `loop.time()`) at which the event happened. On the real clock it is rounded to
 * the microsecond, and an event emitted by a callback carries the time that callback started. In a
 * scenario run, the loop reads the clock between two callbacks only when a millisecond tick has
 * passed since its last reading (Platform.eventTick): a time there can be early by about a
 * millisecond, and a callback that runs longer than that ends at a fresh reading.
 */
const time = z.number();

/** A loop iteration (base_events._run_once) begins; `ready` counts what it will run. */
export const iterationStartEventSchema = z.object({
  type: z.literal('iteration-start'),
  time,
  iteration: z.number().int(),
  ready: z.number().int(),
  scheduled: z.number().int(),
});

/** A loop iteration ends; `ran` counts the callbacks it ran. */
export const iterationEndEventSchema = z.object({
  type: z.literal('iteration-end'),
  time,
  iteration: z.number().int(),
  ran: z.number().int(),
});

/** The loop started running, stopped, or was closed. */
export const loopStateEventSchema = z.object({
  type: z.literal('loop-state'),
  time,
  state: z.enum(['running', 'stopped', 'closed']),
  clock: z.enum(['real', 'virtual']),
});

/** A callback entered the ready queue (`callSoon`, a done callback, a task step). */
export const handleScheduledEventSchema = z.object({
  type: z.literal('handle-scheduled'),
  time,
  id,
  callback: z.string(),
  args: z.string(),
});

/** A callback was put on the timer heap (`callLater`, `callAt`). */
export const timerScheduledEventSchema = z.object({
  type: z.literal('timer-scheduled'),
  time,
  id,
  callback: z.string(),
  args: z.string(),
  when: z.number(),
});

/** A timer's deadline passed: it moves from the heap to the ready queue. */
export const timerDueEventSchema = z.object({
  type: z.literal('timer-due'),
  time,
  id,
});

/** The loop starts running a callback. */
export const handleStartedEventSchema = z.object({
  type: z.literal('handle-started'),
  time,
  id,
});

/** A callback returned (or raised: see the `exception` event that precedes it). */
export const handleFinishedEventSchema = z.object({
  type: z.literal('handle-finished'),
  time,
  id,
});

/** A handle or timer was cancelled before it ran. */
export const handleCancelledEventSchema = z.object({
  type: z.literal('handle-cancelled'),
  time,
  id,
});

/** A Future was created (tasks report `task-created` instead). */
export const futureCreatedEventSchema = z.object({
  type: z.literal('future-created'),
  time,
  id,
  name: z.string(),
});

/** A Future left the pending state (tasks report `task-done` instead). */
export const futureStateEventSchema = z.object({
  type: z.literal('future-state'),
  time,
  id,
  state: z.enum(['finished', 'cancelled']),
  /** Short rendering of the result or of the exception. */
  detail: z.string().optional(),
  failed: z.boolean().optional(),
});

/** A Task was created around a coroutine. */
export const taskCreatedEventSchema = z.object({
  type: z.literal('task-created'),
  time,
  id,
  name: z.string(),
  coro: z.string(),
});

/** A task step begins: the coroutine is resumed (or has an exception thrown in). */
export const taskStepEventSchema = z.object({
  type: z.literal('task-step'),
  time,
  id,
  /** Rendering of the exception thrown into the coroutine, when there is one. */
  throws: z.string().optional(),
});

/** A task suspended: it now waits for `awaiting` (a Future's rendering, `sleep(0)`, `<promise>`). */
export const taskAwaitingEventSchema = z.object({
  type: z.literal('task-awaiting'),
  time,
  id,
  awaiting: z.string(),
  awaitingId: id.optional(),
});

/** A task finished, failed or was cancelled. */
export const taskDoneEventSchema = z.object({
  type: z.literal('task-done'),
  time,
  id,
  state: z.enum(['finished', 'cancelled']),
  detail: z.string().optional(),
  failed: z.boolean().optional(),
});

/** The loop called its exception handler (asyncio's call_exception_handler). */
export const exceptionEventSchema = z.object({
  type: z.literal('exception'),
  time,
  message: z.string(),
  exception: z.string().optional(),
  handleId: id.optional(),
  futureId: id.optional(),
  taskId: id.optional(),
});

/** Every event of the loop core, discriminated on `type`. */
export const coreEventSchema = z.discriminatedUnion('type', [
  iterationStartEventSchema,
  iterationEndEventSchema,
  loopStateEventSchema,
  handleScheduledEventSchema,
  timerScheduledEventSchema,
  timerDueEventSchema,
  handleStartedEventSchema,
  handleFinishedEventSchema,
  handleCancelledEventSchema,
  futureCreatedEventSchema,
  futureStateEventSchema,
  taskCreatedEventSchema,
  taskStepEventSchema,
  taskAwaitingEventSchema,
  taskDoneEventSchema,
  exceptionEventSchema,
]);

/**
 * Every event the engine can emit: the core's and the I/O layer's; and the observer's, which only
 * observed external loops (Python programs under python/loopwright_shim) produce.
 */
export const engineEventSchema = z.union([coreEventSchema, transportEventSchema, observerEventSchema]);

/** See {@link iterationStartEventSchema}. */
export type IterationStartEvent = z.infer<typeof iterationStartEventSchema>;
/** See {@link iterationEndEventSchema}. */
export type IterationEndEvent = z.infer<typeof iterationEndEventSchema>;
/** See {@link loopStateEventSchema}. */
export type LoopStateEvent = z.infer<typeof loopStateEventSchema>;
/** See {@link handleScheduledEventSchema}. */
export type HandleScheduledEvent = z.infer<typeof handleScheduledEventSchema>;
/** See {@link timerScheduledEventSchema}. */
export type TimerScheduledEvent = z.infer<typeof timerScheduledEventSchema>;
/** See {@link timerDueEventSchema}. */
export type TimerDueEvent = z.infer<typeof timerDueEventSchema>;
/** See {@link handleStartedEventSchema}. */
export type HandleStartedEvent = z.infer<typeof handleStartedEventSchema>;
/** See {@link handleFinishedEventSchema}. */
export type HandleFinishedEvent = z.infer<typeof handleFinishedEventSchema>;
/** See {@link handleCancelledEventSchema}. */
export type HandleCancelledEvent = z.infer<typeof handleCancelledEventSchema>;
/** See {@link futureCreatedEventSchema}. */
export type FutureCreatedEvent = z.infer<typeof futureCreatedEventSchema>;
/** See {@link futureStateEventSchema}. */
export type FutureStateEvent = z.infer<typeof futureStateEventSchema>;
/** See {@link taskCreatedEventSchema}. */
export type TaskCreatedEvent = z.infer<typeof taskCreatedEventSchema>;
/** See {@link taskStepEventSchema}. */
export type TaskStepEvent = z.infer<typeof taskStepEventSchema>;
/** See {@link taskAwaitingEventSchema}. */
export type TaskAwaitingEvent = z.infer<typeof taskAwaitingEventSchema>;
/** See {@link taskDoneEventSchema}. */
export type TaskDoneEvent = z.infer<typeof taskDoneEventSchema>;
/** See {@link exceptionEventSchema}. */
export type ExceptionEvent = z.infer<typeof exceptionEventSchema>;

/** Every event of the loop core. */
export type CoreEvent = z.infer<typeof coreEventSchema>;
/** Every event the engine can emit (and, for observed Python programs, the observer's). */
export type EngineEvent = CoreEvent | TransportEvent | ObserverEvent;
/** The `type` values of all engine events. */
export type EngineEventType = EngineEvent['type'];
/** Receives engine events; attached with `loop.setEventSink(sink)`. */
export type EventSink = (event: EngineEvent) => void;

export type { ObserverEvent, TransportEvent };
