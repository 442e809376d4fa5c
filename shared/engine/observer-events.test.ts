import { describe, expect, it } from 'vitest';
import { engineEventSchema, type EngineEvent } from './events';

describe('observer events (what a Python program under the instrumentation adds to the schema)', () => {
  const examples: EngineEvent[] = [
    { type: 'observer-notice', time: 1, kind: 'partial-view', message: 'uvloop.Loop is not asyncio\'s own event loop' },
    { type: 'observer-notice', time: 1, kind: 'events-may-be-missing', message: 'os._exit' },
    { type: 'io-wait', time: 2, waited: 1.5, timeout: 2, ready: 0 },
    { type: 'io-wait', time: 2, waited: 0.01, timeout: null, ready: 1 },
    { type: 'transport-traffic', time: 3, transportId: 4, kind: 'tcp', direction: 'out', size: 12 },
    { type: 'transport-traffic', time: 3, transportId: 5, kind: 'subprocess', direction: 'in', size: 5, fd: 1 },
  ];
  it('are engine events, validated at the host boundary like the others', () => {
    for (const e of examples) expect(engineEventSchema.parse(e)).toEqual(e);
  });
  it('refuse what is not one of them', () => {
    expect(engineEventSchema.safeParse({ type: 'observer-notice', time: 0, kind: 'gossip', message: '' }).success).toBe(false);
    expect(engineEventSchema.safeParse({ type: 'io-wait', time: 0, waited: -1, timeout: 0, ready: 0 }).success).toBe(false);
    expect(engineEventSchema.safeParse({ type: 'transport-traffic', time: 0, transportId: 1, kind: 'tcp', direction: 'sideways', size: 1 }).success).toBe(false);
  });
});
