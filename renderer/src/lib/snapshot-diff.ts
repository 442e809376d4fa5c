import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import type { TransportInfo } from '../../../shared/engine/transport-events';

/** The ids of what changed from one snapshot to the next, by inspector section. */
export interface SnapshotChanges {
  ready: ReadonlySet<number>;
  timers: ReadonlySet<number>;
  tasks: ReadonlySet<number>;
  transports: ReadonlySet<number>;
}

export const NO_CHANGES: SnapshotChanges = { ready: new Set(), timers: new Set(), tasks: new Set(), transports: new Set() };

function newIds<T extends { id: number }>(before: readonly T[] | undefined, after: readonly T[]): Set<number> {
  const known = new Set((before ?? []).map((e) => e.id));
  const changed = new Set<number>();
  for (const e of after) if (!known.has(e.id)) changed.add(e.id);
  return changed;
}

function transportKey(t: TransportInfo): string {
  return `${t.state}|${t.bytesIn}|${t.bytesOut}|${t.writeBufferSize}|${t.paused.reading}|${t.paused.writing}|${t.returncode ?? ''}`;
}

/**
 * What is new or different in `next`: callbacks that entered the ready queue, timers that were
 * scheduled, tasks that appeared or changed state or what they await, transports whose state or
 * counters moved. The first snapshot of a run marks nothing.
 */
export function diffSnapshots(previous: LoopSnapshot | null, next: LoopSnapshot): SnapshotChanges {
  if (previous === null) return NO_CHANGES;
  const tasks = newIds(previous.tasks, next.tasks);
  const before = new Map(previous.tasks.map((t) => [t.id, t]));
  for (const t of next.tasks) {
    const old = before.get(t.id);
    if (old && (old.state !== t.state || old.awaiting !== t.awaiting || old.awaitingId !== t.awaitingId)) tasks.add(t.id);
  }
  const transports = newIds(previous.transports, next.transports ?? []);
  const oldTransports = new Map((previous.transports ?? []).map((t) => [t.id, transportKey(t)]));
  for (const t of next.transports ?? []) {
    const old = oldTransports.get(t.id);
    if (old !== undefined && old !== transportKey(t)) transports.add(t.id);
  }
  return { ready: newIds(previous.ready, next.ready), timers: newIds(previous.scheduled, next.scheduled), tasks, transports };
}
