import { describe, expect, it } from 'vitest';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import { diffSnapshots } from './snapshot-diff';

const snap = (over: Partial<LoopSnapshot>): LoopSnapshot => ({ time: 0, iteration: 1, clock: 'virtual', running: true, closed: false, ready: [], readyCount: 0, scheduled: [], scheduledCount: 0, tasks: [], taskCount: 0, ...over });

describe('diffSnapshots', () => {
  it('marks callbacks that entered the queue and tasks whose state or await changed; nothing on the first', () => {
    const a = snap({ ready: [{ id: 1, callback: 'a', args: '' }], tasks: [{ id: 5, name: 'T', state: 'pending', awaiting: null }] });
    const b = snap({
      ready: [
        { id: 1, callback: 'a', args: '' },
        { id: 2, callback: 'b', args: '' },
      ],
      tasks: [{ id: 5, name: 'T', state: 'pending', awaiting: 'sleep(1)', awaitingId: 9 }],
    });
    expect(diffSnapshots(null, a).ready.size).toBe(0);
    const changes = diffSnapshots(a, b);
    expect([...changes.ready]).toEqual([2]);
    expect([...changes.tasks]).toEqual([5]);
  });
});
