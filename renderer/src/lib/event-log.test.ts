import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import { EventLog, FilteredEvents } from './event-log';
import { EVENT_CATEGORIES, summarize } from './event-summary';

const ALL = new Set(EVENT_CATEGORIES.map((c) => c.id));
const scheduled = (id: number, callback = 'work'): EngineEvent => ({ type: 'handle-scheduled', time: 0, id, callback, args: String(id) });

describe('EventLog', () => {
  it('numbers events, keeps the newest, and keeps traffic without its bytes', () => {
    const log = new EventLog(5000);
    for (let i = 0; i < 20_000; i++) log.push(scheduled(i));
    expect(log.end).toBe(20_000);
    expect(log.size).toBeLessThanOrEqual(5000 + 4096);
    expect(log.get(log.end - 1)).toMatchObject({ id: 19_999 });
    expect(log.get(0)).toBeUndefined();
    log.push({ type: 'transport-data', time: 1, transportId: 3, kind: 'tcp', direction: 'in', data: 'aGVsbG8=', size: 5 });
    expect(log.get(log.end - 1)).toMatchObject({ type: 'transport-data', data: '', size: 5 });
  });

  it('names the callback behind an id for events that carry only the id', () => {
    const log = new EventLog();
    log.push(scheduled(7, 'helloWorld'));
    log.push({ type: 'handle-started', time: 0, id: 7 });
    expect(summarize(log.get(1)!, log.names)).toBe('#7 helloWorld(7)');
  });
});

describe('FilteredEvents', () => {
  it('finds the matching events a slice at a time, and follows new ones', () => {
    const log = new EventLog();
    for (let i = 0; i < 3000; i++) log.push(i % 3 === 0 ? scheduled(i, 'tick') : { type: 'handle-started', time: 0, id: i });
    const filtered = new FilteredEvents(log, { categories: ALL, text: 'tick' });
    while (filtered.pending) filtered.step(0);
    expect(filtered.count).toBe(1000);
    expect(filtered.progress).toBe(1);
    log.push(scheduled(5000, 'tick'));
    filtered.step();
    expect(filtered.count).toBe(1001);
    expect(log.get(filtered.seqAt(1000))).toMatchObject({ id: 5000 });
  });

  it('filters by category without a text', () => {
    const log = new EventLog();
    log.push(scheduled(1));
    log.push({ type: 'timer-due', time: 0, id: 2 });
    const filtered = new FilteredEvents(log, { categories: new Set(['timers']), text: '' });
    filtered.step();
    expect(filtered.count).toBe(1);
    expect(log.get(filtered.seqAt(0))?.type).toBe('timer-due');
  });
});
