import { afterEach, describe, expect, it } from 'vitest';
import { sleep, TaskGroup, ExceptionGroup, CancelledError, RuntimeError } from '../index';
import { loopForTest, resetLoops } from '../testing/test-loops';

afterEach(resetLoops);

describe('TaskGroup (taskgroups.TaskGroup)', () => {
  it('exit waits for every child task', async () => {
    const loop = loopForTest();
    const out = await loop.runUntilComplete(async () => {
      const tg = new TaskGroup();
      const tasks = await tg.run((g) => [g.createTask(() => sleep(2, 'a')), g.createTask(() => sleep(1, 'b'))]);
      return [tasks.map((t) => t.result()), loop.time()];
    });
    expect(out).toEqual([['a', 'b'], 2]);
    loop.close();
  });

  it('a failing child cancels its siblings and the body, and exit raises an ExceptionGroup', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    const boom = new Error('boom');
    const out = await loop.runUntilComplete(async () => {
      try {
        await new TaskGroup().run(async (g) => {
          g.createTask(async () => {
            await sleep(1);
            throw boom;
          });
          g.createTask(async () => {
            try {
              await sleep(10);
            } catch (e) {
              log.push(`sibling ${(e as Error).name}`);
              throw e;
            }
          });
          try {
            await sleep(10);
          } catch (e) {
            log.push(`body ${(e as Error).name}`);
            throw e;
          }
        });
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(ExceptionGroup);
        expect((e as ExceptionGroup).exceptions).toEqual([boom]);
        return `caught at t=${loop.time()}`;
      }
    });
    expect(out).toBe('caught at t=1');
    expect(log.sort()).toEqual(['body CancelledError', 'sibling CancelledError']);
    loop.close();
  });

  it('the parent task is not left cancelled after the group handled the failure', async () => {
    const loop = loopForTest();
    const out = await loop.runUntilComplete(async () => {
      try {
        await new TaskGroup().run(async (g) => {
          g.createTask(async () => {
            throw new Error('child');
          });
          await sleep(5);
        });
      } catch {
        // expected: the ExceptionGroup
      }
      await sleep(1); // would raise CancelledError if the group had not uncancelled us
      return 'went on';
    });
    expect(out).toBe('went on');
    loop.close();
  });

  it('an error raised by the body cancels the children and comes out in an ExceptionGroup', async () => {
    const loop = loopForTest();
    let childCancelled = false;
    const err = await loop
      .runUntilComplete(async () => {
        await new TaskGroup().run(async (g) => {
          g.createTask(async () => {
            try {
              await sleep(10);
            } catch (e) {
              childCancelled = e instanceof CancelledError;
              throw e;
            }
          });
          await sleep(0);
          throw new TypeError('body failed');
        });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExceptionGroup);
    expect(((err as ExceptionGroup).exceptions[0] as Error).message).toBe('body failed');
    expect(childCancelled).toBe(true);
    loop.close();
  });

  it('refuses to be used outside a task, before enter, or after it finished', async () => {
    const loop = loopForTest();
    expect(() => new TaskGroup().enter()).toThrow(RuntimeError);
    expect(() => new TaskGroup().createTask(async () => undefined)).toThrow('has not been entered');
    const tg = new TaskGroup();
    await loop.runUntilComplete(() => tg.run(() => undefined));
    expect(() => tg.createTask(async () => undefined)).toThrow('is finished');
    loop.close();
  });
});
