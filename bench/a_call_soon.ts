// A. callSoon throughput, mirroring ../shared/bench-anchors/a_call_soon.py exactly: N no-op
// callbacks scheduled with callSoon in batches of B; a `batch` callback schedules B no-ops and then
// itself; once N no-ops are scheduled, the next `batch` (after all of them, FIFO) stops the loop.
// Timed from the first callSoon(batch) until runForever() settles. Metric: N / elapsed.
//   --n 1000000 --b 1000   sizes (the defaults are the anchor's)
//   --sink                 attach an event sink (counts events) to measure observing
//   --repeat R             run the workload R times in this process (a fresh loop each time) and
//                          report the median (and the best as best_callbacks_per_s); 1 (the
//                          default) is the anchor's single run
import { newEventLoop } from '../electron/engine/index';

const arg = (k: string, d: string): string => {
  const i = process.argv.indexOf('--' + k);
  return i > 0 ? process.argv[i + 1] : d;
};
const N = Number(arg('n', '1000000'));
const B = Number(arg('b', '1000'));
const withSink = process.argv.includes('--sink');
const repeat = Number(arg('repeat', '1'));

let events = 0;

async function once(): Promise<number> {
  const loop = newEventLoop({ clock: 'real' });
  if (withSink) loop.setEventSink(() => void events++);
  let scheduled = 0;

  function noop(): void {}

  function batch(): void {
    if (scheduled >= N) {
      loop.stop();
      return;
    }
    for (let i = 0; i < B; i++) loop.callSoon(noop);
    scheduled += B;
    loop.callSoon(batch);
  }

  const t0 = performance.now();
  loop.callSoon(batch);
  await loop.runForever();
  const elapsed = (performance.now() - t0) / 1000;
  loop.close();
  return elapsed;
}

const runs: number[] = [];
for (let r = 0; r < repeat; r++) runs.push(await once());
runs.sort((a, b) => a - b);
const el = runs[runs.length >> 1];
console.log(
  JSON.stringify({
    bench: 'A_call_soon',
    runtime: 'loopwright' + (withSink ? '+sink' : ''),
    n: N,
    batch: B,
    elapsed_s: +el.toFixed(4),
    callbacks_per_s: Math.round(N / el),
    ...(repeat > 1 ? { best_callbacks_per_s: Math.round(N / runs[0]) } : {}),
    ...(withSink ? { events } : {}),
  }),
);
