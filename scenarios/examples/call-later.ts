// callLater and loop.time(): timers run by deadline, whatever order they were scheduled in.
import { getEventLoop, type BaseEventLoop } from 'loopwright';

export const meta = {
  title: 'callLater and loop.time()',
  description:
    'Three callbacks are scheduled with callLater in the order 3 s, 1 s, 2 s, and one with callSoon. The loop runs callSoon callbacks first, then each timer when its deadline comes, in deadline order. loop.time() is the loop\'s own clock: on the virtual clock it jumps from one deadline to the next, so the whole scenario takes no real time.',
  clock: 'virtual',
  expectedOutput: [
    'scheduled at t=0',
    'soon: runs in the next iteration at t=0',
    'after 1 s: t=1',
    'after 2 s: t=2',
    'after 3 s: t=3',
    '',
  ].join('\n'),
};

const loop = getEventLoop();
const start = loop.time();

function report(label: string): void {
  console.log(`${label}: t=${loop.time() - start}`);
}

function finish(l: BaseEventLoop): void {
  report('after 3 s');
  l.stop();
}

loop.callLater(3, finish, loop);
loop.callLater(1, report, 'after 1 s');
loop.callLater(2, report, 'after 2 s');
loop.callSoon(() => console.log(`soon: runs in the next iteration at t=${loop.time() - start}`));
console.log(`scheduled at t=${loop.time() - start}`);

try {
  await loop.runForever();
} finally {
  loop.close();
}
