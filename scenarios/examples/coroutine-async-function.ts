// A coroutine written as an `async function` (asyncio's `async def`).
import { getEventLoop } from 'loopwright';

export const meta = {
  title: 'Coroutine as an async function',
  description:
    'The modern way to write a coroutine: an async function. runUntilComplete wraps it in a Task, whose first step runs the body; the function is passed uncalled so that nothing runs before the loop does.',
  clock: 'virtual',
  expectedOutput: 'First Coroutine\n',
};

async function myOperation(): Promise<void> {
  console.log('First Coroutine');
}

const loop = getEventLoop();
try {
  await loop.runUntilComplete(myOperation);
} finally {
  loop.close();
}
