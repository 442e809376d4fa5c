import { describe, expect, it } from 'vitest';
import { DEFAULT_WRITE_HIGH_WATER, WriteFlowControl, resolveWriteBufferLimits } from './flow-control';
import { ValueError } from './value-error';

describe('write flow control', () => {
  it('defaults and derived marks follow asyncio (transports._set_write_buffer_limits)', () => {
    expect(DEFAULT_WRITE_HIGH_WATER).toBe(65536);
    expect(resolveWriteBufferLimits()).toEqual({ high: 65536, low: 16384 });
    expect(resolveWriteBufferLimits(1000)).toEqual({ high: 1000, low: 250 });
    expect(resolveWriteBufferLimits(null, 100)).toEqual({ high: 400, low: 100 });
    expect(resolveWriteBufferLimits(0, 0)).toEqual({ high: 0, low: 0 });
    expect(() => resolveWriteBufferLimits(1, 2)).toThrow(ValueError);
    expect(() => resolveWriteBufferLimits(1, -1)).toThrow('high (1) must be >= low (-1) must be >= 0');
    expect(() => resolveWriteBufferLimits(-4)).toThrow(RangeError);
  });

  it('pauses once above high and resumes once at or below low, alternating (_maybe_pause_protocol / _maybe_resume_protocol)', () => {
    const calls: string[] = [];
    const protocol = { pauseWriting: () => calls.push('pause'), resumeWriting: () => calls.push('resume') };
    const flow = new WriteFlowControl(() => {});
    flow.setLimits(100, 10);
    flow.maybePause(100, protocol);
    flow.maybePause(101, protocol);
    flow.maybePause(500, protocol);
    flow.maybeResume(11, protocol);
    flow.maybeResume(10, protocol);
    flow.maybeResume(0, protocol);
    flow.maybePause(101, protocol);
    expect(calls).toEqual(['pause', 'resume', 'pause']);
    expect(flow.getLimits()).toEqual([10, 100]);
  });

  it('reports a protocol error to the handler instead of the writer', () => {
    const errors: string[] = [];
    const flow = new WriteFlowControl((message) => errors.push(message));
    flow.maybePause(1e9, { pauseWriting: () => { throw new Error('bug'); } });
    expect(errors).toEqual(['protocol.pauseWriting() failed']);
    expect(flow.paused).toBe(true);
  });
});
