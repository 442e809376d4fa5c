// Hello world with callSoon and stop (the tutorial's first example, from the Python docs).
import { getEventLoop, type BaseEventLoop } from 'loopwright';

export const meta = {
  title: 'Hello world (callSoon and stop)',
  description:
    'The smallest event-loop program: schedule one callback with callSoon, run the loop forever, and let the callback stop it. runForever() returns once the iteration that called stop() has finished.',
  clock: 'virtual',
  expectedOutput: 'Hello World\n',
};

function helloWorld(loop: BaseEventLoop): void {
  console.log('Hello World');
  loop.stop();
}

const loop = getEventLoop();

// Schedule a call to helloWorld()
loop.callSoon(helloWorld, loop);

// Blocking call interrupted by loop.stop()
try {
  await loop.runForever();
} finally {
  loop.close();
}
