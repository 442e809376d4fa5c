import type { EngineEvent, EngineEventType } from '../../../shared/engine/events';

/** Groups of engine events, as the event log's filter offers them. */
export type EventCategory = 'loop' | 'callbacks' | 'timers' | 'futures' | 'tasks' | 'io' | 'errors';

export const EVENT_CATEGORIES: readonly { id: EventCategory; label: string }[] = [
  { id: 'loop', label: 'Loop' },
  { id: 'callbacks', label: 'Callbacks' },
  { id: 'timers', label: 'Timers' },
  { id: 'futures', label: 'Futures' },
  { id: 'tasks', label: 'Tasks' },
  { id: 'io', label: 'I/O' },
  { id: 'errors', label: 'Errors' },
];

// Partial: an event type added to the engine later shows (under Loop) before it gets a category here.
const CATEGORY: Partial<Record<EngineEventType, EventCategory>> = {
  'iteration-start': 'loop',
  'iteration-end': 'loop',
  'loop-state': 'loop',
  'handle-scheduled': 'callbacks',
  'handle-started': 'callbacks',
  'handle-finished': 'callbacks',
  'handle-cancelled': 'callbacks',
  'timer-scheduled': 'timers',
  'timer-due': 'timers',
  'future-created': 'futures',
  'future-state': 'futures',
  'task-created': 'tasks',
  'task-step': 'tasks',
  'task-awaiting': 'tasks',
  'task-done': 'tasks',
  exception: 'errors',
  'transport-opened': 'io',
  'transport-data': 'io',
  'transport-received': 'io',
  'transport-write-buffer': 'io',
  'transport-eof': 'io',
  'transport-flow': 'io',
  'transport-closing': 'io',
  'transport-lost': 'io',
  'transport-error': 'errors',
  'process-exited': 'io',
  'server-listening': 'io',
  'server-closed': 'io',
};

/** The filter group of an event type. */
export function categoryOf(type: EngineEventType): EventCategory {
  return CATEGORY[type] ?? 'loop';
}

const withArgs = (callback: string, args: string) => `${callback}(${args})`;

/** Finds the name behind an id (a callback, a task, a future). */
export interface NameLookup {
  get(id: number): string | undefined;
}

/**
 * One line describing an event for the log (no bytes decoded: traffic shows its size). `names`
 * gives the callback, task or future behind an id, for events that carry only the id.
 */
export function summarize(e: EngineEvent, names?: NameLookup): string {
  const named = (id: number) => {
    const name = names?.get(id);
    return name === undefined ? `#${id}` : `#${id} ${name}`;
  };
  switch (e.type) {
    case 'iteration-start':
      return `iteration ${e.iteration}: ${e.ready} ready, ${e.scheduled} timers`;
    case 'iteration-end':
      return `iteration ${e.iteration} ran ${e.ran}`;
    case 'loop-state':
      return `loop ${e.state} (${e.clock} clock)`;
    case 'handle-scheduled':
      return `#${e.id} ${withArgs(e.callback, e.args)}`;
    case 'timer-scheduled':
      return `#${e.id} ${withArgs(e.callback, e.args)} at ${e.when.toFixed(3)}`;
    case 'timer-due':
    case 'handle-started':
    case 'handle-finished':
    case 'handle-cancelled':
      return named(e.id);
    case 'future-created':
      return `#${e.id} ${e.name}`;
    case 'future-state':
    case 'task-done':
      return `${named(e.id)} ${e.state}${e.failed ? ' with an exception' : ''}${e.detail !== undefined ? `: ${e.detail}` : ''}`;
    case 'task-created':
      return `#${e.id} ${e.name} ${e.coro}`;
    case 'task-step':
      return `${named(e.id)}${e.throws ? ` throws ${e.throws}` : ''}`;
    case 'task-awaiting':
      return `${named(e.id)} awaits ${e.awaiting}${e.awaitingId !== undefined ? ` (#${e.awaitingId})` : ''}`;
    case 'exception':
      return `${e.message}${e.exception ? `: ${e.exception}` : ''}`;
    case 'transport-opened':
      return `#${e.transportId} ${e.kind}${e.peer ? ` peer ${e.peer}` : ''}${e.local ? ` local ${e.local}` : ''}${e.pid !== undefined ? ` pid ${e.pid}` : ''}${e.fd !== undefined ? ` fd ${e.fd}` : ''}`;
    case 'transport-data':
      return `#${e.transportId} ${e.direction} ${e.size} B${e.fd !== undefined ? ` fd ${e.fd}` : ''}${e.addr ? ` ${e.addr}` : ''}`;
    case 'transport-received':
      return `#${e.transportId} received ${e.size} B from the operating system`;
    case 'transport-write-buffer':
      return `#${e.transportId} write buffer ${e.writeBufferSize} B`;
    case 'transport-eof':
      return `#${e.transportId} EOF ${e.direction}`;
    case 'transport-flow':
      return `#${e.transportId} ${e.what} (buffer ${e.writeBufferSize} B)`;
    case 'transport-closing':
      return `#${e.transportId}${e.abort ? ' abort' : ' close'}`;
    case 'transport-lost':
      return `#${e.transportId}${e.error ? ` ${e.error.name}: ${e.error.message}` : ' closed'}`;
    case 'transport-error':
      return `#${e.transportId} ${e.error.name}: ${e.error.message}`;
    case 'process-exited':
      return `#${e.transportId} pid ${e.pid} exited with ${e.returncode}`;
    case 'server-listening':
      return `server #${e.serverId} on ${e.sockets.join(', ')}`;
    case 'server-closed':
      return `server #${e.serverId}`;
    default:
      return describeUnknown(e);
  }
}

/** An event this module does not know yet: its fields, briefly. */
function describeUnknown(e: object): string {
  return Object.entries(e)
    .filter(([k]) => k !== 'type' && k !== 'time')
    .map(([k, v]) => `${k}=${typeof v === 'string' && v.length > 40 ? `${v.slice(0, 40)}…` : JSON.stringify(v)}`)
    .join(' ');
}
