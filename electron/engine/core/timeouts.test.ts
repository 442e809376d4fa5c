import { afterEach, describe, expect, it } from 'vitest';
import { sleep, timeout, timeoutAt, createTask, TimeoutError, CancelledError } from '../index';
import { loopForTest, resetLoops } from '../testing/test-loops';

afterEach(resetLoops);

describe('timeout() (timeouts.Timeout)', () => {
  it('an expired deadline cancels the body and raises TimeoutError', async () => {
    const loop = loopForTest();
    const cm = timeout(1.5);
    const err = await loop.runUntilComplete(() => cm.run(() => sleep(10))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).cause).toBeInstanceOf(CancelledError);
    expect(cm.expired()).toBe(true);
    expect(loop.time()).toBe(1.5);
    loop.close();
  });

  it('a body that finishes in time returns its result', async () => {
    const loop = loopForTest();
    const cm = timeout(5);
    expect(await loop.runUntilComplete(() => cm.run(() => sleep(1, 'done')))).toBe('done');
    expect(cm.expired()).toBe(false);
    loop.close();
  });

  it('reschedule() moves the deadline; null means none', async () => {
    const loop = loopForTest();
    const out = await loop.runUntilComplete(async () => {
      const cm = timeout(1).enter();
      cm.reschedule(loop.time() + 3);
      expect(cm.when()).toBe(3);
      try {
        await sleep(10);
      } catch (e) {
        cm.exit(e);
      }
      return loop.time();
    }).catch((e: unknown) => e);
    expect(out).toBeInstanceOf(TimeoutError);
    expect(loop.time()).toBe(3);
    const none = await loop.runUntilComplete(() => timeoutAt(null).run(() => sleep(2, 'no deadline')));
    expect(none).toBe('no deadline');
    loop.close();
  });

  it('a cancellation from outside stays a CancelledError', async () => {
    const loop = loopForTest();
    const t = createTask(() => timeout(10).run(() => sleep(20)));
    loop.callLater(1, () => t.cancel());
    await expect(loop.runUntilComplete(t)).rejects.toBeInstanceOf(CancelledError);
    loop.close();
  });

  it('must be entered inside a task', () => {
    const loop = loopForTest();
    expect(() => timeout(1).enter()).toThrow('Timeout should be used inside a task');
    loop.close();
  });
});
