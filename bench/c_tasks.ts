// C. Tasks, mirroring ../shared/bench-anchors/c_tasks.py exactly: inside one runUntilComplete, create
// N = 100,000 tasks (loop.createTask) of a coroutine that does `await sleep(0)` K = 10 times, then
// `await gather(...tasks)`. Timed: create + gather. Metric: N*K / elapsed. The coroutine is passed
// as a function, so like Python's coroutine object it starts in the task's first step.
//   --n 100000 --k 10   sizes (the defaults are the anchor's)
//   --sink              attach an event sink (counts events)
//   --repeat R          run the workload R times in this process (a fresh loop each time) and
//                       report the median; 1 (the default) is the anchor's single run
import { newEventLoop, setEventLoop, sleep, gather } from '../electron/engine/index';

const arg = (k: string, d: string): string => {
  const i = process.argv.indexOf('--' + k);
  return i > 0 ? process.argv[i + 1] : d;
};
const N = Number(arg('n', '100000'));
const K = Number(arg('k', '10'));
const withSink = process.argv.includes('--sink');
const repeat = Number(arg('repeat', '1'));
let events = 0;

async function worker(): Promise<void> {
  for (let i = 0; i < K; i++) await sleep(0);
}

async function once(): Promise<number> {
  const loop = newEventLoop({ clock: 'real' });
  setEventLoop(loop);
  if (withSink) loop.setEventSink(() => void events++);

  async function main(): Promise<number> {
    const t0 = performance.now();
    const tasks = [];
    for (let i = 0; i < N; i++) tasks.push(loop.createTask(worker));
    await gather(...tasks);
    return (performance.now() - t0) / 1000;
  }

  const elapsed = await loop.runUntilComplete(main);
  loop.close();
  return elapsed;
}

const runs: number[] = [];
for (let r = 0; r < repeat; r++) runs.push(await once());
runs.sort((a, b) => a - b);
const el = runs[runs.length >> 1];
console.log(
  JSON.stringify({
    bench: 'C_tasks',
    runtime: 'loopwright' + (withSink ? '+sink' : ''),
    n: N,
    k: K,
    elapsed_s: +el.toFixed(4),
    task_steps_per_s: Math.round((N * K) / el),
    ...(withSink ? { events } : {}),
  }),
);
