import { afterEach, describe, expect, it } from 'vitest';
import { newEventLoop, setEventLoop, createTask, sleep, Future, CancelledError, InvalidStateError, wrapFuture } from '../index';
import { loopForTest, resetLoops } from '../testing/test-loops';

afterEach(resetLoops);

describe('Future (futures.Future)', () => {
  it('result() and exception() raise InvalidStateError while pending (first difference from concurrent futures)', () => {
    const loop = loopForTest();
    const fut = loop.createFuture<number>();
    expect(fut.done()).toBe(false);
    expect(() => fut.result()).toThrow(InvalidStateError);
    expect(() => fut.result()).toThrow('Result is not ready.');
    expect(() => fut.exception()).toThrow('Exception is not set.');
    fut.setResult(3);
    expect(fut.done()).toBe(true);
    expect(fut.result()).toBe(3);
    expect(fut.exception()).toBeUndefined();
    expect(() => fut.setResult(4)).toThrow(InvalidStateError);
    loop.close();
  });

  it('result() raises the exception that was set; exception() returns it', () => {
    const loop = loopForTest();
    const fut = new Future<number>(loop);
    const boom = new Error('boom');
    fut.setException(boom);
    expect(fut.exception()).toBe(boom);
    expect(() => fut.result()).toThrow(boom);
    loop.close();
  });

  it('a cancelled future raises CancelledError with the message from result() and exception()', () => {
    const loop = loopForTest();
    const fut = loop.createFuture();
    expect(fut.cancel('no longer needed')).toBe(true);
    expect(fut.cancel()).toBe(false);
    expect(fut.cancelled()).toBe(true);
    expect(fut.done()).toBe(true);
    expect(() => fut.result()).toThrow(CancelledError);
    expect(() => fut.result()).toThrow('no longer needed');
    expect(() => fut.exception()).toThrow(CancelledError);
    expect(() => fut.setResult(1)).toThrow(InvalidStateError);
    loop.close();
  });

  it('done callbacks always run through callSoon, in registration order (second difference)', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    const fut = loop.createFuture<string>();
    fut.addDoneCallback((f) => log.push(`cb1 ${f.result()}`));
    fut.addDoneCallback((f) => log.push(`cb2 ${f.result()}`));
    loop.callSoon(() => log.push('soon before'));
    fut.setResult('r');
    log.push('setResult returned');
    // Registering on a done future schedules the callback too.
    fut.addDoneCallback(() => log.push('cb3 late'));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual(['setResult returned', 'soon before', 'cb1 r', 'cb2 r', 'cb3 late']);
    loop.close();
  });

  it('removeDoneCallback removes every registration and returns the count', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    const fut = loop.createFuture();
    const a = (): number => log.push('a');
    const b = (): number => log.push('b');
    fut.addDoneCallback(a);
    fut.addDoneCallback(b);
    fut.addDoneCallback(a);
    expect(fut.removeDoneCallback(a)).toBe(2);
    expect(fut.removeDoneCallback(a)).toBe(0);
    fut.addDoneCallback(a);
    fut.setResult(undefined);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual(['b', 'a']);
    loop.close();
  });

  it('is awaitable from a native coroutine and yields its result or raises its exception', async () => {
    const loop = loopForTest();
    const ok = loop.createFuture<number>();
    const bad = loop.createFuture<number>();
    loop.callLater(1, () => ok.setResult(5));
    loop.callLater(2, () => bad.setException(new RangeError('bad')));
    const out = await loop.runUntilComplete(async () => {
      const v = await ok;
      try {
        await bad;
        return 'no';
      } catch (e) {
        return `${v} ${(e as Error).name}`;
      }
    });
    expect(out).toBe('5 RangeError');
    loop.close();
  });

  it('awaiting a done future does not suspend the task (futures.Future.__await__)', async () => {
    const loop = loopForTest();
    const log: string[] = [];
    const done = loop.createFuture<number>();
    done.setResult(1);
    await loop.runUntilComplete(async () => {
      loop.callSoon(() => log.push('callback'));
      log.push('before await');
      const v = await done;
      log.push(`after await ${v}`);
      await sleep(0);
      log.push('after sleep(0)');
    });
    expect(log).toEqual(['before await', 'after await 1', 'callback', 'after sleep(0)']);
    loop.close();
  });

  it('is usable from generator coroutines with yield and yield*', async () => {
    const loop = loopForTest();
    const fut = loop.createFuture<string>();
    loop.callLater(1, () => fut.setResult('x'));
    const out = await loop.runUntilComplete(function* () {
      const a = (yield fut) as string;
      const b: string = yield* fut;
      return a + b;
    });
    expect(out).toBe('xx');
    loop.close();
  });

  it('then() chains like a promise when called outside a task', async () => {
    const loop = loopForTest();
    const fut = loop.createFuture<number>();
    const chained = Promise.resolve(fut.then((v) => v * 2).then((v) => v + 1));
    loop.callSoon(() => fut.setResult(20));
    loop.callLater(1, () => loop.stop());
    await loop.runForever();
    await expect(chained).resolves.toBe(41);
    loop.close();
  });

  it('an error thrown by a then() callback that nobody chains on goes to the exception handler', async () => {
    const loop = loopForTest();
    const contexts: Record<string, unknown>[] = [];
    loop.setExceptionHandler((_l, ctx) => contexts.push(ctx));
    const fut = loop.createFuture<number>();
    const boom = new Error('in then');
    fut.then(() => {
      throw boom;
    });
    loop.callSoon(() => fut.setResult(1));
    loop.callLater(1, () => loop.stop());
    await loop.runForever();
    expect(contexts.map((c) => c.exception)).toEqual([boom]);
    loop.close();
  });

  it('wrapFuture brings a foreign promise into the loop (futures.wrap_future)', async () => {
    const loop = newEventLoop({ clock: 'real' });
    setEventLoop(loop);
    const foreign = new Promise<string>((resolve) => setTimeout(() => resolve('from Node'), 10));
    const out = await loop.runUntilComplete(async () => await wrapFuture(foreign));
    expect(out).toBe('from Node');
    loop.close();
  });

  it('renders like asyncio', () => {
    const loop = loopForTest();
    const fut = loop.createFuture<number>();
    expect(String(fut)).toBe('<Future pending>');
    fut.setResult(3);
    expect(String(fut)).toBe('<Future finished result=3>');
    const task = createTask(async function main() {}, { name: 'worker' });
    expect(String(task)).toBe("<Task pending name='worker' coro=main()>");
    loop.close();
  });
});
