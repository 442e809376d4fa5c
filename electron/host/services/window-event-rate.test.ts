import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import { EventBatch } from '../runs/event-batch';
import type { RunListener } from '../runs/run-manager';
import { eventRateLimited } from './window-event-rate';

const started = (id: number): EngineEvent => ({ type: 'handle-started', time: 1, id });
const many = (from: number, count: number) => Array.from({ length: count }, (_, i) => started(from + i));

/** A window's listener behind the limit (10 events a second), on a clock the test moves. */
function limited() {
  const clock = { now: 0 };
  const sent: { ids: number[]; dropped: number }[] = [];
  const states: string[] = [];
  const window: RunListener = {
    events: (events, dropped = 0) => sent.push({ ids: events.map((e) => (e as { id: number }).id), dropped }),
    state: (s) => states.push(s),
  };
  return { clock, sent, states, listener: eventRateLimited(window, 10, () => clock.now) };
}

describe("a window's share of a run's events", () => {
  it('is every event while the run stays under the rate', () => {
    const { sent, listener } = limited();
    listener.events!(many(1, 4));
    listener.events!(many(5, 6));
    expect(sent).toEqual([
      { ids: [1, 2, 3, 4], dropped: 0 },
      { ids: [5, 6, 7, 8, 9, 10], dropped: 0 },
    ]);
  });

  it("past the rate, each batch's newest events, the older ones counted with them; the allowance comes back with time", () => {
    const { clock, sent, listener } = limited();
    listener.events!(many(1, 25));
    listener.events!(many(26, 5));
    clock.now = 300;
    listener.events!(many(31, 5));
    expect(sent).toEqual([
      { ids: [16, 17, 18, 19, 20, 21, 22, 23, 24, 25], dropped: 15 },
      // Nothing went for 26..30: counted with the next that go.
      { ids: [33, 34, 35], dropped: 7 },
    ]);
  });

  it('says what was dropped last before the run ends', () => {
    const { sent, states, listener } = limited();
    listener.events!(many(1, 12));
    listener.events!(many(13, 3));
    listener.state!('finished', {});
    expect(sent.at(-1)).toEqual({ ids: [], dropped: 3 });
    expect(states).toEqual(['finished']);
  });

  it("parses only the events of a worker's batch that go", () => {
    const { sent, listener } = limited();
    const batch = new EventBatch();
    for (const e of many(1, 40)) batch.add(e);
    listener.eventBatch!(batch.take()!);
    expect(sent).toEqual([{ ids: many(31, 10).map((e) => (e as { id: number }).id), dropped: 30 }]);
  });
});
