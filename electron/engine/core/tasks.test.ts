import { afterEach, describe, expect, it } from 'vitest';
import {
  getRunningLoop,
  run,
  sleep,
  createTask,
  currentTask,
  allTasks,
  gather,
  wait,
  waitFor,
  shield,
  asCompleted,
  ensureFuture,
  CancelledError,
  TimeoutError,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  TaskGroup,
  timeout,
  type Task,
  type Future,
} from '../index';
import { loopForTest, resetLoops } from '../testing/test-loops';

afterEach(resetLoops);

describe('task interleaving (tasks.Task.__step)', () => {
  // The expected lines are the output of the same program under CPython 3.11 asyncio.
  it('native task steps interleave with plain callbacks exactly as asyncio orders them', async () => {
    const log: string[] = [];
    async function worker(name: string, n: number): Promise<string> {
      for (let i = 0; i < n; i++) {
        log.push(`${name}${i}`);
        await sleep(0);
      }
      log.push(`${name} done`);
      return name;
    }
    async function waiter(fut: Future<string>): Promise<string> {
      log.push('waiter start');
      const v = await fut;
      log.push(`waiter got ${v}`);
      return v;
    }
    const cb = (x: unknown): number => log.push(`cb ${x}`);
    await run(
      async () => {
        const loop = getRunningLoop();
        const fut = loop.createFuture<string>();
        const t1 = createTask(() => worker('a', 3));
        loop.callSoon(cb, 1);
        const t2 = createTask(() => worker('b', 2));
        const t3 = createTask(() => waiter(fut));
        loop.callSoon(cb, 2);
        loop.callLater(0, cb, 'timer0');
        await sleep(0);
        log.push('main after sleep0');
        fut.setResult('X');
        loop.callSoon(cb, 3);
        const done = loop.createFuture<number>();
        done.setResult(1);
        loop.callSoon(cb, 'after-done-await');
        const v = await done;
        log.push(`main awaited done future ${v}`);
        const r = await gather(t1, t2, t3);
        log.push(`main end ${r.join(',')}`);
      },
      { clock: 'virtual' },
    );
    expect(log).toEqual([
      'a0',
      'cb 1',
      'b0',
      'waiter start',
      'cb 2',
      'main after sleep0',
      'main awaited done future 1',
      'cb timer0',
      'a1',
      'b1',
      'waiter got X',
      'cb 3',
      'cb after-done-await',
      'a2',
      'b done',
      'a done',
      'main end a,b,X',
    ]);
  });

  it('done callbacks, sleep(0) and cancellation order as in asyncio', async () => {
    const log: string[] = [];
    const cb = (x: unknown): number => log.push(`cb ${x}`);
    async function child(name: string, d: number): Promise<string> {
      try {
        log.push(`${name} start`);
        await sleep(d);
        log.push(`${name} end`);
        return name;
      } catch (e) {
        if (e instanceof CancelledError) log.push(`${name} cancelled`);
        throw e;
      }
    }
    await run(
      async () => {
        const loop = getRunningLoop();
        const t0 = loop.time();
        const f = loop.createFuture<number>();
        f.addDoneCallback(() => log.push('done cb 1'));
        f.addDoneCallback(() => log.push('done cb 2'));
        loop.callSoon(cb, 'before set');
        f.setResult(5);
        loop.callSoon(cb, 'after set');
        log.push('set returned');
        await sleep(0);
        log.push('main after one sleep0');
        const t = createTask(() => child('c1', 10));
        const t2 = createTask(() => child('c2', 1));
        await sleep(0);
        t.cancel();
        try {
          await t;
        } catch (e) {
          if (e instanceof CancelledError) log.push('main saw c1 cancelled');
        }
        await t2;
        log.push(`t=${loop.time() - t0}`);
      },
      { clock: 'virtual' },
    );
    expect(log).toEqual([
      'set returned',
      'cb before set',
      'done cb 1',
      'done cb 2',
      'cb after set',
      'main after one sleep0',
      'c1 start',
      'c2 start',
      'c1 cancelled',
      'main saw c1 cancelled',
      'c2 end',
      't=1',
    ]);
  });

  it('generator tasks interleave like native ones (the @asyncio.coroutine style)', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    function* gen(name: string) {
      for (let i = 0; i < 2; i++) {
        log.push(`${name}${i}`);
        yield; // a bare yield gives one iteration away, like sleep(0)
      }
      yield sleep(1);
      log.push(`${name} slept`);
      return name;
    }
    async function native(name: string) {
      for (let i = 0; i < 2; i++) {
        log.push(`${name}${i}`);
        await sleep(0);
      }
      await sleep(1);
      log.push(`${name} slept`);
      return name;
    }
    const out = await loop.runUntilComplete(gather(createTask(gen('g')), createTask(() => native('n'))));
    expect(out).toEqual(['g', 'n']);
    expect(log).toEqual(['g0', 'n0', 'g1', 'n1', 'g slept', 'n slept']);
    loop.close();
  });

  it('yield* delegates to a sub-generator and gets its return value', async () => {
    const loop = loopForTest();
    function* inner(x: number) {
      yield sleep(1);
      return x * 2;
    }
    function* outer() {
      const a: number = yield* inner(3);
      const b: undefined = yield* sleep(0);
      return [a, b, loop.time()];
    }
    expect(await loop.runUntilComplete(outer())).toEqual([6, undefined, 1]);
    loop.close();
  });

  it('a generator that yields a generator gets a RuntimeError (yield* was meant)', async () => {
    const loop = loopForTest();
    function* inner() {
      yield;
    }
    const out = await loop.runUntilComplete(function* () {
      try {
        yield inner();
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(out).toMatch(/^yield was used instead of yield\* for generator/);
    loop.close();
  });

  it('sleep(0) yields exactly one iteration', async () => {
    const loop = loopForTest();
    const iterations = await loop.runUntilComplete(async () => {
      const a = loop.iteration;
      await sleep(0);
      const b = loop.iteration;
      await sleep(0, 'r');
      return [a, b, loop.iteration];
    });
    expect(iterations[1] - iterations[0]).toBe(1);
    expect(iterations[2] - iterations[1]).toBe(1);
    loop.close();
  });

  it('sleep(delay, result) resolves with result after delay seconds of loop time', async () => {
    const loop = loopForTest();
    const out = await loop.runUntilComplete(async () => {
      const v = await sleep(2.5, 'woke');
      return [v, loop.time()];
    });
    expect(out).toEqual(['woke', 2.5]);
    loop.close();
  });

  it('currentTask() is right across awaits, also inside awaited async helpers', async () => {
    const loop = loopForTest();
    const seen: string[] = [];
    async function helper(tag: string): Promise<void> {
      seen.push(`${tag} helper ${currentTask()?.getName()}`);
      await sleep(1);
      seen.push(`${tag} helper after ${currentTask()?.getName()}`);
    }
    async function body(tag: string): Promise<void> {
      seen.push(`${tag} ${currentTask()?.getName()}`);
      await sleep(0);
      seen.push(`${tag} ${currentTask()?.getName()}`);
      await helper(tag);
      seen.push(`${tag} end ${currentTask()?.getName()}`);
    }
    const a = createTask(() => body('a'), { name: 'A' });
    const b = createTask(() => body('b'), { name: 'B' });
    await loop.runUntilComplete(gather(a, b));
    expect(currentTask()).toBe(null);
    expect(seen).toEqual([
      'a A',
      'b B',
      'a A',
      'a helper A',
      'b B',
      'b helper B',
      'a helper after A',
      'a end A',
      'b helper after B',
      'b end B',
    ]);
    loop.close();
  });

  it('createTask accepts a generator object, a function, a Future and a started promise', async () => {
    const loop = loopForTest();
    const fut = loop.createFuture<string>();
    loop.callLater(1, () => fut.setResult('future'));
    async function started(): Promise<string> {
      await sleep(2);
      return 'promise';
    }
    const tasks = [
      createTask(
        // eslint-disable-next-line require-yield -- a coroutine that finishes in its first step
        (function* () {
          return 'generator';
        })(),
      ),
      createTask(async () => 'function'),
      createTask(() => 'plain value'),
      createTask(fut),
      createTask(started()),
    ];
    expect(await loop.runUntilComplete(gather(...tasks))).toEqual(['generator', 'function', 'plain value', 'future', 'promise']);
    expect(() => createTask(42 as never)).toThrow(TypeError);
    loop.close();
  });

  it('a function coroutine runs nothing before the loop does (lazy, like a coroutine object)', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    createTask(async () => {
      log.push('body');
    });
    log.push('created');
    await loop.runUntilComplete(() => sleep(0));
    expect(log).toEqual(['created', 'body']);
    loop.close();
  });

  it('task names, getCoro, allTasks', async () => {
    const loop = loopForTest();
    const coro = async (): Promise<void> => {
      await sleep(1);
    };
    const t = createTask(coro);
    expect(t.getName()).toMatch(/^Task-\d+$/);
    t.setName('renamed');
    expect(t.getName()).toBe('renamed');
    expect(t.getCoro()).toBe(coro);
    expect([...allTasks(loop)]).toHaveLength(1);
    expect(allTasks(loop).has(t)).toBe(true);
    await loop.runUntilComplete(t);
    expect(allTasks(loop).size).toBe(0);
    loop.close();
  });

  it('a task cannot be completed from outside', () => {
    const loop = loopForTest();
    const t = createTask(async () => undefined);
    expect(() => t.setResult(undefined)).toThrow('Task does not support set_result operation');
    expect(() => t.setException(new Error())).toThrow('Task does not support set_exception operation');
    loop.close();
  });
});

describe('the helpers order as in asyncio', () => {
  // The expected lines are the output of the same program under CPython 3.11 asyncio, except that
  // asCompleted starts its inputs in argument order where asyncio iterates a set (no defined order).
  it('waitFor, shield, TaskGroup, timeout, wait and asCompleted', async () => {
    const log: string[] = [];
    const cb = (x: unknown): number => log.push(`cb ${x}`);
    async function slow(name: string, d: number): Promise<string> {
      try {
        log.push(`${name} start`);
        await sleep(d);
        log.push(`${name} end`);
        return name;
      } catch (e) {
        if (e instanceof CancelledError) log.push(`${name} cancelled`);
        throw e;
      }
    }
    await run(
      async () => {
        const loop = getRunningLoop();
        const t0 = loop.time();
        const t = (): number => loop.time() - t0;
        loop.callSoon(cb, 'a');
        try {
          await waitFor(() => slow('w1', 5), 1);
        } catch (e) {
          if (e instanceof TimeoutError) log.push(`w1 timeout t=${t()}`);
        }
        const r = await waitFor(() => slow('w2', 1), 5);
        log.push(`w2 -> ${r} t=${t()}`);
        const inner = createTask(() => slow('inner', 2));
        const outer = createTask(async () => await shield(inner));
        loop.callLater(1, () => outer.cancel());
        try {
          await outer;
        } catch (e) {
          if (e instanceof CancelledError) log.push(`outer cancelled t=${t()}`);
        }
        log.push(`inner -> ${await inner} t=${t()}`);
        await new TaskGroup().run((tg) => {
          tg.createTask(() => slow('g1', 2));
          tg.createTask(() => slow('g2', 1));
          loop.callSoon(cb, 'in group');
        });
        log.push(`group done t=${t()}`);
        try {
          await timeout(1).run(() => slow('to', 3));
        } catch (e) {
          if (e instanceof TimeoutError) log.push(`timeout t=${t()}`);
        }
        const [done, pending] = await wait([createTask(() => slow('x', 1)), createTask(() => slow('y', 2))], { returnWhen: FIRST_COMPLETED });
        log.push(`wait done=${done.size} pending=${pending.size} t=${t()}`);
        for (const p of pending) p.cancel();
        await sleep(0);
        for (const f of asCompleted([() => slow('p', 2), () => slow('q', 1)])) log.push(`as_completed ${await f}`);
      },
      { clock: 'virtual' },
    );
    expect(log).toEqual([
      'cb a',
      'w1 start',
      'w1 cancelled',
      'w1 timeout t=1',
      'w2 start',
      'w2 end',
      'w2 -> w2 t=2',
      'inner start',
      'outer cancelled t=3',
      'inner end',
      'inner -> inner t=4',
      'g1 start',
      'g2 start',
      'cb in group',
      'g2 end',
      'g1 end',
      'group done t=6',
      'to start',
      'to cancelled',
      'timeout t=7',
      'x start',
      'y start',
      'x end',
      'wait done=1 pending=1 t=8',
      'y cancelled',
      'p start',
      'q start',
      'q end',
      'as_completed q',
      'p end',
      'as_completed p',
    ]);
  });
});

describe('cancellation (tasks.Task.cancel)', () => {
  it('a native task gets CancelledError at its await point, and the task ends cancelled', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    const t = createTask(async () => {
      try {
        await sleep(3600);
      } catch (e) {
        log.push(`caught ${(e as Error).name}: ${(e as Error).message}`);
        throw e;
      }
    });
    loop.callLater(1, () => t.cancel('enough'));
    await expect(loop.runUntilComplete(t)).rejects.toBeInstanceOf(CancelledError);
    expect(t.cancelled()).toBe(true);
    expect(log).toEqual(['caught CancelledError: enough']);
    expect(loop.time()).toBe(1);
    loop.close();
  });

  it('a generator task gets CancelledError at its yield point', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    const t = createTask(
      (function* () {
        try {
          yield sleep(3600);
        } catch (e) {
          log.push(`caught ${(e as Error).name}`);
          throw e;
        }
      })(),
    );
    loop.callLater(1, () => t.cancel());
    await expect(loop.runUntilComplete(t)).rejects.toBeInstanceOf(CancelledError);
    expect(log).toEqual(['caught CancelledError']);
    loop.close();
  });

  it('a task may catch CancelledError and go on; it then ends normally', async () => {
    const loop = loopForTest();
    const t = createTask(async () => {
      try {
        await sleep(10);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
      await sleep(1);
      return 'survived';
    });
    loop.callLater(1, () => t.cancel());
    expect(await loop.runUntilComplete(t)).toBe('survived');
    expect(t.cancelled()).toBe(false);
    expect(t.cancelling()).toBe(1);
    expect(t.uncancel()).toBe(0);
    expect(loop.time()).toBe(2);
    loop.close();
  });

  it('a task cancelled before its first step never runs', async () => {
    const loop = loopForTest();
    let ran = false;
    const native = createTask(async () => {
      ran = true;
    });
    const gen = createTask(
      // eslint-disable-next-line require-yield -- the body must never run
      (function* () {
        ran = true;
      })(),
    );
    expect(native.cancel()).toBe(true);
    expect(gen.cancel()).toBe(true);
    await loop.runUntilComplete(() => sleep(0));
    expect(ran).toBe(false);
    expect(native.cancelled()).toBe(true);
    expect(gen.cancelled()).toBe(true);
    expect(native.cancel()).toBe(false);
    loop.close();
  });

  it('cancelling a task that awaits a task cancels the inner task too', async () => {
    const loop = loopForTest();
    const inner = createTask(() => sleep(100));
    const outer = createTask(async () => await inner);
    loop.callLater(1, () => outer.cancel());
    await expect(loop.runUntilComplete(outer)).rejects.toBeInstanceOf(CancelledError);
    expect(inner.cancelled()).toBe(true);
    loop.close();
  });

  it('a task that cancels itself gets CancelledError at its next await (must_cancel)', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    const t = createTask(async () => {
      currentTask()?.cancel();
      log.push('still running');
      try {
        await sleep(0);
      } catch (e) {
        log.push((e as Error).name);
        throw e;
      }
    });
    await expect(loop.runUntilComplete(t)).rejects.toBeInstanceOf(CancelledError);
    expect(log).toEqual(['still running', 'CancelledError']);
    loop.close();
  });

  it('a task that awaits itself gets a RuntimeError', async () => {
    const loop = loopForTest();
    const holder: { t?: Task<unknown> } = {};
    holder.t = createTask(async () => {
      await sleep(0);
      await holder.t;
    });
    await expect(loop.runUntilComplete(holder.t)).rejects.toThrow('Task cannot await on itself');
    loop.close();
  });
});

describe('gather (tasks.gather)', () => {
  it('returns results in argument order, whatever the completion order', async () => {
    const loop = loopForTest();
    const out = await loop.runUntilComplete(gather(sleep(3, 'slow'), sleep(1, 'fast'), createTask(async () => 'task')));
    expect(out).toEqual(['slow', 'fast', 'task']);
    expect(loop.time()).toBe(3);
    expect(await loop.runUntilComplete(gather())).toEqual([]);
    loop.close();
  });

  it('raises the first exception; { returnExceptions: true } puts exceptions in the results', async () => {
    const loop = loopForTest();
    const boom = new Error('boom');
    const failing = async (): Promise<never> => {
      await sleep(1);
      throw boom;
    };
    await expect(loop.runUntilComplete(gather(sleep(2, 'ok'), createTask(failing)))).rejects.toBe(boom);
    const out = await loop.runUntilComplete(gather(sleep(2, 'ok'), createTask(failing), { returnExceptions: true }));
    expect(out).toEqual(['ok', boom]);
    loop.close();
  });

  it('cancelling the gather cancels the children', async () => {
    const loop = loopForTest();
    const a = createTask(() => sleep(10));
    const b = createTask(() => sleep(10));
    const g = gather(a, b);
    loop.callLater(1, () => g.cancel());
    await expect(loop.runUntilComplete(g)).rejects.toBeInstanceOf(CancelledError);
    expect(a.cancelled() && b.cancelled()).toBe(true);
    loop.close();
  });

  it('the same awaitable twice gives its result twice', async () => {
    const loop = loopForTest();
    const t = createTask(async () => 7);
    expect(await loop.runUntilComplete(gather(t, t))).toEqual([7, 7]);
    loop.close();
  });
});

describe('wait, waitFor, shield, asCompleted (tasks)', () => {
  it('wait(FIRST_COMPLETED) returns the done and the pending sets', async () => {
    const loop = loopForTest();
    const fast = ensureFuture(sleep(1, 'fast'));
    const slow = ensureFuture(sleep(5, 'slow'));
    const [done, pending] = await loop.runUntilComplete(() => wait([fast, slow], { returnWhen: FIRST_COMPLETED }));
    expect(done.size === 1 && done.has(fast)).toBe(true);
    expect(pending.size === 1 && pending.has(slow)).toBe(true);
    expect(loop.time()).toBe(1);
    slow.cancel();
    loop.close();
  });

  it('wait(FIRST_EXCEPTION) returns at the first failure; a timeout returns without cancelling', async () => {
    const loop = loopForTest();
    const failing = createTask(async () => {
      await sleep(2);
      throw new Error('x');
    });
    const slow = createTask(() => sleep(10));
    const [done, pending] = await loop.runUntilComplete(() => wait([failing, slow], { returnWhen: FIRST_EXCEPTION }));
    // (Futures are iterable, so compare them by identity, not with toEqual.)
    expect(done.size === 1 && done.has(failing)).toBe(true);
    expect(pending.size === 1 && pending.has(slow)).toBe(true);
    const [done2, pending2] = await loop.runUntilComplete(() => wait([slow], { timeout: 1 }));
    expect(done2.size).toBe(0);
    expect(pending2.size === 1 && pending2.has(slow)).toBe(true);
    expect(slow.cancelled()).toBe(false);
    expect(loop.time()).toBe(3);
    failing.exception();
    slow.cancel();
    loop.close();
  });

  it('waitFor raises TimeoutError and cancels the inner awaitable', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    const inner = createTask(async () => {
      try {
        await sleep(10);
      } catch (e) {
        log.push(`inner ${(e as Error).name}`);
        throw e;
      }
    });
    await expect(loop.runUntilComplete(() => waitFor(inner, 2))).rejects.toBeInstanceOf(TimeoutError);
    expect(inner.cancelled()).toBe(true);
    expect(log).toEqual(['inner CancelledError']);
    expect(loop.time()).toBe(2);
    expect(await loop.runUntilComplete(() => waitFor(sleep(1, 'in time'), 2))).toBe('in time');
    expect(await loop.runUntilComplete(() => waitFor(sleep(1, 'no limit'), null))).toBe('no limit');
    loop.close();
  });

  it('shield: cancelling the outer does not cancel the inner', async () => {
    const loop = loopForTest();
    const inner = createTask(() => sleep(5, 'inner result'));
    const outerTask = createTask(async () => await shield(inner));
    loop.callLater(1, () => outerTask.cancel());
    await expect(loop.runUntilComplete(outerTask)).rejects.toBeInstanceOf(CancelledError);
    expect(inner.done()).toBe(false);
    expect(await loop.runUntilComplete(inner)).toBe('inner result');
    expect(loop.time()).toBe(5);
    loop.close();
  });

  it('asCompleted yields results in completion order', async () => {
    const loop = loopForTest();
    const out = await loop.runUntilComplete(async () => {
      const results: string[] = [];
      for (const next of asCompleted([sleep(3, 'c'), sleep(1, 'a'), sleep(2, 'b')])) results.push(await next);
      for await (const r of asCompleted([sleep(2, 'y'), sleep(1, 'x')])) results.push(r);
      return results;
    });
    expect(out).toEqual(['a', 'b', 'c', 'x', 'y']);
    loop.close();
  });

  it('asCompleted with a timeout raises TimeoutError for what did not complete in time', async () => {
    const loop = loopForTest();
    const out = await loop.runUntilComplete(async () => {
      const results: string[] = [];
      try {
        for (const next of asCompleted([sleep(1, 'quick'), sleep(10, 'late')], { timeout: 2 })) results.push(await next);
      } catch (e) {
        results.push((e as Error).name);
      }
      return results;
    });
    expect(out).toEqual(['quick', 'TimeoutError']);
    loop.close();
  });
});

describe('foreign promises', () => {
  it('a native task awaiting a foreign promise does not hang the loop; other callbacks go on', async () => {
    const loop = loopForTest('real');
    const log: string[] = [];
    const t = createTask(async () => {
      log.push('task start');
      await new Promise((resolve) => setTimeout(resolve, 30));
      log.push('task after foreign promise');
      await sleep(0);
      return 'done';
    });
    loop.callSoon(() => loop.callSoon(() => log.push('callback meanwhile')));
    expect(await loop.runUntilComplete(t)).toBe('done');
    expect(log).toEqual(['task start', 'callback meanwhile', 'task after foreign promise']);
    loop.close();
  });

  it('a generator task may yield a promise; it is wrapped in a Future', async () => {
    const loop = loopForTest('real');
    const out = await loop.runUntilComplete(function* () {
      const v: unknown = yield new Promise((resolve) => setTimeout(() => resolve('foreign'), 5));
      return v;
    });
    expect(out).toBe('foreign');
    loop.close();
  });
});
