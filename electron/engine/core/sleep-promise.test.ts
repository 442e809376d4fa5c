// sleep(0) inside native task steps is a native promise that reports its await (sleep-promise.ts).
// These pin down what that path must keep from asyncio's `await asyncio.sleep(0)`.
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, createTask, currentTask, gather, sleep, type Future } from '../index';
import { loopForTest, resetLoops } from '../testing/test-loops';

afterEach(resetLoops);

describe('await sleep(0) in native tasks', () => {
  it('yields exactly one iteration per await, from the first step on, with currentTask() right', async () => {
    const loop = loopForTest();
    const seen: string[] = [];
    async function body(tag: string): Promise<void> {
      for (let i = 0; i < 3; i++) {
        seen.push(`${tag}${i} it${loop.iteration} ${currentTask()?.getName()}`);
        await sleep(0);
      }
      seen.push(`${tag} end it${loop.iteration} ${currentTask()?.getName()}`);
    }
    await loop.runUntilComplete(async () => {
      const a = createTask(() => body('a'), { name: 'A' });
      const b = createTask(() => body('b'), { name: 'B' });
      loop.callSoon(() => seen.push(`cb it${loop.iteration} ${currentTask()?.getName() ?? 'none'}`));
      await gather(a, b);
    });
    expect(seen).toEqual([
      'a0 it2 A',
      'b0 it2 B',
      'cb it2 none',
      'a1 it3 A',
      'b1 it3 B',
      'a2 it4 A',
      'b2 it4 B',
      'a end it5 A',
      'b end it5 B',
    ]);
    loop.close();
  });

  it('sleep(0) awaited inside an awaited async helper suspends the task, in asyncio order', async () => {
    const loop = loopForTest();
    const seen: string[] = [];
    const log = (line: string): void => void seen.push(`${line} ${currentTask()?.getName() ?? 'none'}`);
    async function helper(tag: string): Promise<void> {
      log(`${tag} h1`);
      await sleep(0);
      log(`${tag} h2`);
      await sleep(0);
      log(`${tag} h3`);
    }
    async function body(tag: string): Promise<void> {
      log(`${tag} start`);
      await helper(tag);
      log(`${tag} end`);
    }
    await loop.runUntilComplete(async () => {
      const a = createTask(() => body('a'), { name: 'A' });
      const b = createTask(() => body('b'), { name: 'B' });
      loop.callSoon(() => log('cb'));
      await gather(a, b);
    });
    // The same program under CPython asyncio prints these lines in this order.
    expect(seen).toEqual([
      'a start A',
      'a h1 A',
      'b start B',
      'b h1 B',
      'cb none',
      'a h2 A',
      'b h2 B',
      'a h3 A',
      'a end A',
      'b h3 B',
      'b end B',
    ]);
    loop.close();
  });

  it('a sleep(0) awaited later, after another await, still yields one iteration', async () => {
    const loop = loopForTest();
    const seen: string[] = [];
    await loop.runUntilComplete(async () => {
      const fut: Future<string> = loop.createFuture();
      const task = createTask(async () => {
        const early = sleep(0);
        const later = sleep(0);
        seen.push(`got ${await fut}`);
        loop.callSoon(() => seen.push('callback'));
        await later;
        seen.push('after later');
        loop.callSoon(() => seen.push('callback 2'));
        await early;
        seen.push('after early');
      });
      await sleep(0);
      fut.setResult('x');
      await task;
    });
    expect(seen).toEqual(['got x', 'callback', 'after later', 'callback 2', 'after early']);
    loop.close();
  });

  it('a task cancelled while it awaits sleep(0) gets CancelledError there and may go on', async () => {
    const loop = loopForTest();
    const seen: string[] = [];
    await loop.runUntilComplete(async () => {
      const task = createTask(
        async () => {
          try {
            for (;;) await sleep(0);
          } catch (e) {
            seen.push(`caught ${(e as Error).constructor.name} ${(e as Error).message} in ${currentTask()?.getName()}`);
          }
          await sleep(0);
          seen.push(`went on in ${currentTask()?.getName()}`);
          return 'done';
        },
        { name: 'T' },
      );
      await sleep(0);
      await sleep(0);
      task.cancel('stop');
      seen.push(`result ${await task}`);
    });
    expect(seen).toEqual(['caught CancelledError stop in T', 'went on in T', 'result done']);
    loop.close();
  });

  it('a task cancelled at sleep(0) that does not catch ends cancelled', async () => {
    const loop = loopForTest();
    const { task } = await loop.runUntilComplete(async () => {
      const t = createTask(async () => {
        for (;;) await sleep(0);
      });
      await sleep(0);
      t.cancel();
      await sleep(0);
      await sleep(0);
      return { task: t };
    });
    expect(task.cancelled()).toBe(true);
    loop.close();
  });

  it('an await in a microtask queued before a task step is not taken for that task suspending', async () => {
    const loop = loopForTest();
    const seen: string[] = [];
    await loop.runUntilComplete(async () => {
      const task = createTask(
        async () => {
          seen.push(`t1 ${currentTask()?.getName()}`);
          await sleep(0);
          seen.push(`t2 ${currentTask()?.getName()}`);
          await sleep(0);
          seen.push(`t3 ${currentTask()?.getName()}`);
        },
        { name: 'T' },
      );
      // Runs after the task's first step: its microtask is still queued when the second step begins.
      loop.callSoon(() => {
        void Promise.resolve().then(async () => {
          seen.push('foreign');
          await sleep(0);
          seen.push('foreign after');
        });
      });
      await task;
      await sleep(0);
    });
    expect(seen).toEqual(['t1 T', 'foreign', 't2 T', 't3 T', 'foreign after']);
    loop.close();
  });

  it('a task that returns sleep(0) from a plain function waits one iteration for it, as one that awaits it', async () => {
    const loop = loopForTest();
    const out = await loop.runUntilComplete(async () => {
      let before = loop.iteration;
      await createTask(() => sleep(0));
      const returned = loop.iteration - before;
      before = loop.iteration;
      await createTask(async () => {
        await sleep(0);
      });
      return [returned, loop.iteration - before];
    });
    expect(out).toEqual([3, 3]);
    loop.close();
  });

  it('a sleep(0) promise awaited outside any task resumes its awaiter on the next iteration', async () => {
    const loop = loopForTest();
    const seen: string[] = [];
    await loop.runUntilComplete(async () => {
      // Made in a task step, awaited by plain async code.
      const holder = await createTask(async () => ({ promise: sleep(0) }));
      await sleep(0);
      let start = 0;
      loop.callSoon(() => {
        start = loop.iteration;
        void (async (): Promise<void> => {
          await holder.promise;
          seen.push(`outside after ${loop.iteration - start} in ${currentTask()?.getName() ?? 'none'}`);
        })();
      });
      for (let i = 0; i < 4; i++) await sleep(0);
    });
    expect(seen).toEqual(['outside after 1 in none']);
    loop.close();
  });
});

describe('CancelledError from sleep(0)', () => {
  it('is the one cancel() created, with its message', async () => {
    const loop = loopForTest();
    const err = await loop.runUntilComplete(async () => {
      const t = createTask(async () => {
        try {
          await sleep(0);
          await sleep(0);
        } catch (e) {
          return e;
        }
        return null;
      });
      await sleep(0);
      t.cancel('why');
      return await t;
    });
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as CancelledError).message).toBe('why');
    loop.close();
  });
});
