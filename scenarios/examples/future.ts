// A Future completed by a coroutine after sleep(2) (the tutorial's asyncio.Future example).
import { Future, ensureFuture, getEventLoop, sleep } from 'loopwright';

export const meta = {
  title: 'A Future completed after sleep(2)',
  description:
    'A coroutine sleeps two seconds, then sets the result of a Future; runUntilComplete(future) returns once the Future is done. On the virtual clock the two seconds pass at once; on the real clock they take two seconds.',
  clock: 'virtual',
  expectedOutput: 'Future Completed\n',
};

async function myOperation(future: Future<string>): Promise<void> {
  await sleep(2);
  future.setResult('Future Completed');
}

const loop = getEventLoop();
const future = new Future<string>();
ensureFuture(() => myOperation(future));
try {
  await loop.runUntilComplete(future);
  console.log(future.result());
} finally {
  loop.close();
}
