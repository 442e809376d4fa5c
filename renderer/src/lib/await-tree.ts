import type { TaskEntry } from '../../../shared/engine/snapshot';

/** A Future that has not completed, as the event stream reports it (tasks are not listed here). */
export interface PendingFuture {
  id: number;
  name: string;
  /** Loop time of its creation. */
  created: number;
}

/** A row of the await tree: a task, or the future a task waits for. */
export interface AwaitRow {
  /** Unique among the rows (a task awaited by two tasks shows under both). */
  key: string;
  depth: number;
  kind: 'task' | 'future';
  id: number;
  name: string;
  /** For tasks: 'running', 'pending', or 'ready' (pending and not waiting for anything). */
  state: 'running' | 'pending' | 'ready' | 'future';
  /** What the task awaits, as the engine renders it. */
  awaiting: string | null;
  /** Set when the node was already shown higher up (a cycle guard). */
  repeated?: boolean;
}

/**
 * The await tree, like `python -m asyncio pstree`: each task not awaited by another task is a root,
 * and under a task is what it awaits (the `awaitingId` edge): another task, with its own subtree,
 * or a pending future. Flattened in display order for a virtualised list.
 */
export function buildAwaitTree(tasks: readonly TaskEntry[], futures: ReadonlyMap<number, PendingFuture>): AwaitRow[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const awaited = new Set<number>();
  for (const t of tasks) if (t.awaitingId !== undefined && byId.has(t.awaitingId)) awaited.add(t.awaitingId);
  const rows: AwaitRow[] = [];

  const visit = (task: TaskEntry, depth: number, path: string, seen: Set<number>) => {
    const key = `${path}/t${task.id}`;
    const repeated = seen.has(task.id);
    rows.push({
      key,
      depth,
      kind: 'task',
      id: task.id,
      name: task.name,
      state: task.state === 'running' ? 'running' : task.awaiting === null ? 'ready' : 'pending',
      awaiting: task.awaiting,
      ...(repeated ? { repeated } : {}),
    });
    if (repeated || task.awaitingId === undefined) return;
    const next = byId.get(task.awaitingId);
    if (next) {
      visit(next, depth + 1, key, new Set(seen).add(task.id));
      return;
    }
    const future = futures.get(task.awaitingId);
    rows.push({
      key: `${key}/f${task.awaitingId}`,
      depth: depth + 1,
      kind: 'future',
      id: task.awaitingId,
      name: future?.name ?? task.awaiting ?? 'Future',
      state: 'future',
      awaiting: null,
    });
  };

  for (const task of tasks) if (!awaited.has(task.id)) visit(task, 0, '', new Set());
  // Tasks in a cycle of awaits have no root: show them anyway.
  const shown = new Set(rows.filter((r) => r.kind === 'task').map((r) => r.id));
  for (const task of tasks) if (!shown.has(task.id)) visit(task, 0, '', new Set());
  return rows;
}

/** Which tasks wait for each future or task id. */
export function waitersOf(tasks: readonly TaskEntry[]): Map<number, string[]> {
  const waiters = new Map<number, string[]>();
  for (const t of tasks) {
    if (t.awaitingId === undefined) continue;
    const list = waiters.get(t.awaitingId) ?? [];
    list.push(t.name);
    waiters.set(t.awaitingId, list);
  }
  return waiters;
}
