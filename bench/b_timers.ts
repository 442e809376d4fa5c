// B. Timers, mirroring ../shared/bench-anchors/b_timers.py exactly: N = 200,000 timers with delays
// d_i in [0, 1) s from the 32-bit LCG (seed 12345); t0 = loop.time() once, then
// loop.callAt(t0 + d_i, cb) for every i. The N-th callback stops the loop.
//   --mode real  run time >= max(d): reports sched_s, total_s, lag_ms = finish - (t0 + max d)
//   --mode past  deadlines t0 - 1 + d_i (all due): pure timer-queue cost, metric timers_per_s
//   --sink       attach an event sink (counts events)
import { newEventLoop } from '../electron/engine/index';

const arg = (k: string, d: string): string => {
  const i = process.argv.indexOf('--' + k);
  return i > 0 ? process.argv[i + 1] : d;
};
const mode = arg('mode', 'real');
const N = Number(arg('n', '200000'));
const withSink = process.argv.includes('--sink');

// The same generator as the anchors: x = (1664525*x + 1013904223) mod 2^32, d = x / 2^32.
let x = 12345;
let maxDelay = 0;
const delays = new Float64Array(N);
for (let i = 0; i < N; i++) {
  x = (Math.imul(1664525, x) + 1013904223) >>> 0;
  delays[i] = x / 4294967296;
  if (delays[i] > maxDelay) maxDelay = delays[i];
}

const loop = newEventLoop({ clock: 'real' });
let events = 0;
if (withSink) loop.setEventSink(() => void events++);
let fired = 0;
function cb(): void {
  if (++fired === N) loop.stop();
}

const t0 = loop.time();
const base = mode === 'real' ? t0 : t0 - 1.0;
for (let i = 0; i < N; i++) loop.callAt(base + delays[i], cb);
const schedS = loop.time() - t0;
await loop.runForever();
const totalS = loop.time() - t0;
loop.close();
if (fired !== N) throw new Error(`fired ${fired} of ${N}`);
const r: Record<string, unknown> = {
  bench: 'B_timers_' + mode,
  runtime: 'loopwright' + (withSink ? '+sink' : ''),
  n: N,
  sched_s: +schedS.toFixed(4),
  total_s: +totalS.toFixed(4),
  timers_per_s: Math.round(N / totalS),
};
if (mode === 'real') r.lag_ms = +((totalS - maxDelay) * 1000).toFixed(2);
if (withSink) r.events = events;
console.log(JSON.stringify(r));
