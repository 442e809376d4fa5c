import { describe, expect, it } from 'vitest';
import type { TaskEntry } from '../../../shared/engine/snapshot';
import { buildAwaitTree, waitersOf } from './await-tree';

describe('buildAwaitTree (like python -m asyncio pstree)', () => {
  it('puts under each task what it awaits: another task, down to a future', () => {
    const tasks: TaskEntry[] = [
      { id: 1, name: 'Task-1', state: 'pending', awaiting: '<Task Task-2>', awaitingId: 2 },
      { id: 2, name: 'Task-2', state: 'pending', awaiting: 'sleep(1)', awaitingId: 9 },
      { id: 3, name: 'Task-3', state: 'pending', awaiting: null },
    ];
    const rows = buildAwaitTree(tasks, new Map([[9, { id: 9, name: 'sleep', created: 0 }]]));
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.kind}:${r.name}:${r.state}`)).toEqual(['task:Task-1:pending', '  task:Task-2:pending', '    future:sleep:future', 'task:Task-3:ready']);
    expect(waitersOf(tasks).get(9)).toEqual(['Task-2']);
  });

  it('survives a cycle of awaits', () => {
    const tasks: TaskEntry[] = [
      { id: 1, name: 'A', state: 'pending', awaiting: 'B', awaitingId: 2 },
      { id: 2, name: 'B', state: 'pending', awaiting: 'A', awaitingId: 1 },
    ];
    const rows = buildAwaitTree(tasks, new Map());
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.repeated)).toBe(true);
  });
});
