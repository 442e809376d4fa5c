import { describe, expect, it } from 'vitest';
import { run, sleep, createTask, getEventLoop, getRunningLoop, setEventLoop, type BaseEventLoop } from '../index';

describe('run() (runners.run)', () => {
  it('runs main on a new current loop, cancels leftover tasks and closes the loop', async () => {
    let loop: BaseEventLoop | null = null;
    let leftoverCancelled = false;
    const out = await run(
      async () => {
        loop = getRunningLoop();
        expect(getEventLoop()).toBe(loop);
        createTask(async () => {
          try {
            await sleep(100);
          } catch (e) {
            leftoverCancelled = true;
            throw e;
          }
        });
        await sleep(1);
        return 'main result';
      },
      { clock: 'virtual' },
    );
    expect(out).toBe('main result');
    expect(leftoverCancelled).toBe(true);
    expect((loop as BaseEventLoop | null)?.isClosed()).toBe(true);
    setEventLoop(null);
  });

  it('rejects with the error of main', async () => {
    await expect(
      run(async () => {
        throw new Error('main failed');
      }),
    ).rejects.toThrow('main failed');
    setEventLoop(null);
  });
});
