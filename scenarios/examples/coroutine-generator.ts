// A coroutine written as a generator function (asyncio's old @asyncio.coroutine style).
import { getEventLoop } from 'loopwright';

export const meta = {
  title: 'Coroutine as a generator',
  description:
    'The older way to write a coroutine: a generator function. It waits with `yield future` and delegates with `yield*` (Python\'s `yield from`). Calling it only creates the generator object; the Task runs its body.',
  clock: 'virtual',
  expectedOutput: 'First Coroutine\n',
};

function* myOperation(): Generator<unknown, void, unknown> {
  console.log('First Coroutine');
}

const loop = getEventLoop();
try {
  await loop.runUntilComplete(myOperation());
} finally {
  loop.close();
}
