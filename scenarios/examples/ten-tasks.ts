// Ten tasks processed "in parallel" (the tutorial's Task example).
import { ensureFuture, getEventLoop, sleep } from 'loopwright';

export const meta = {
  title: 'Ten tasks in parallel',
  description:
    'A coroutine schedules ten tasks and prints "Tasks Completed" before any of them has run: creating a task only queues its first step with callSoon. The tasks run when the coroutine awaits sleep(2) and gives the loop back.',
  clock: 'virtual',
  expectedOutput:
    'Tasks Completed\nProcessing 0\nProcessing 1\nProcessing 2\nProcessing 3\nProcessing 4\nProcessing 5\nProcessing 6\nProcessing 7\nProcessing 8\nProcessing 9\n',
};

async function taskEx(n: number): Promise<void> {
  console.log(`Processing ${n}`);
}

async function generatorTask(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    ensureFuture(() => taskEx(i));
  }
  console.log('Tasks Completed');
  await sleep(2);
}

const loop = getEventLoop();
try {
  await loop.runUntilComplete(generatorTask);
} finally {
  loop.close();
}
