import { describe, expect, it } from 'vitest';
import { ControlBlock, ControlRequest } from './control-block';

describe('ControlBlock attention (whether the loop asks the debugger before the next callback)', () => {
  it('is set while the host has a pause or stop pending or the worker steps, and clear otherwise', () => {
    const host = new ControlBlock();
    // The worker wraps the same buffer, as scenario-worker.ts does.
    const worker = new ControlBlock(host.buffer);
    const attention = worker.attention();
    expect(attention[0]).toBe(0);
    host.request(ControlRequest.Pause);
    expect(attention[0]).not.toBe(0);
    expect(worker.current()).toBe(ControlRequest.Pause);
    worker.setStepping(true);
    host.request(ControlRequest.Run);
    // The worker still steps: the loop must still ask.
    expect(attention[0]).not.toBe(0);
    worker.setStepping(false);
    expect(attention[0]).toBe(0);
    host.request(ControlRequest.Stop);
    expect(attention[0]).not.toBe(0);
    expect(worker.current()).toBe(ControlRequest.Stop);
  });
});
