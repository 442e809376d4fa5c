// Cancellation, waitFor timeouts and shield.
import { CancelledError, getEventLoop, shield, sleep, TimeoutError, waitFor } from 'loopwright';

export const meta = {
  title: 'Cancellation, waitFor and shield',
  description:
    'A task is cancelled while it sleeps: CancelledError arrives at its await, where it may clean up. waitFor gives an operation a deadline; when it passes, the inner task is cancelled and waitFor raises TimeoutError. shield protects an inner task from the cancellation of the outer wait, so it finishes anyway. Tasks are given the async function itself (createTask(worker), not worker()): JavaScript starts an async function the moment it is called, outside any task.',
  clock: 'virtual',
  expectedOutput: [
    'worker: started',
    'main: cancelling the worker at t=1',
    'worker: cancelled at t=1, cleaning up',
    'main: worker.cancelled() = true',
    'slow: started',
    'slow: cancelled by waitFor at t=3',
    'main: waitFor raised TimeoutError at t=3',
    'precious: started',
    'main: the shielded wait timed out at t=4.5, precious goes on',
    'precious: finished at t=6',
    'main: precious result = saved',
    '',
  ].join('\n'),
};

const loop = getEventLoop();
const t = () => loop.time();

async function worker(): Promise<void> {
  console.log('worker: started');
  try {
    await sleep(10);
  } catch (error) {
    if (error instanceof CancelledError) console.log(`worker: cancelled at t=${t()}, cleaning up`);
    throw error;
  }
}

async function slow(): Promise<string> {
  console.log('slow: started');
  try {
    await sleep(5);
    return 'done';
  } catch (error) {
    if (error instanceof CancelledError) console.log(`slow: cancelled by waitFor at t=${t()}`);
    throw error;
  }
}

async function precious(): Promise<string> {
  console.log('precious: started');
  await sleep(3);
  console.log(`precious: finished at t=${t()}`);
  return 'saved';
}

// Tasks get the async function itself, not worker(): calling an async function starts it at once
// (JavaScript's rule, unlike Python's coroutine objects), outside the task, where cancel() could
// not reach its awaits. Given the function, the task makes the call in its first step.
async function main(): Promise<void> {
  const task = loop.createTask(worker);
  await sleep(1);
  console.log(`main: cancelling the worker at t=${t()}`);
  task.cancel();
  try {
    await task;
  } catch {
    console.log(`main: worker.cancelled() = ${task.cancelled()}`);
  }

  try {
    await waitFor(slow, 2);
  } catch (error) {
    if (error instanceof TimeoutError) console.log(`main: waitFor raised TimeoutError at t=${t()}`);
  }

  const inner = loop.createTask(precious);
  try {
    await waitFor(shield(inner), 1.5);
  } catch (error) {
    if (error instanceof TimeoutError) console.log(`main: the shielded wait timed out at t=${t()}, precious goes on`);
  }
  console.log(`main: precious result = ${await inner}`);
}

try {
  await loop.runUntilComplete(main);
} finally {
  loop.close();
}
