// Workload A inside a scenario worker: 1,000,000 no-op callbacks in batches of 1,000 (as the anchor).
import { getEventLoop } from 'loopwright';
import { threadCpuNs } from './thread-cpu';

const N = 1_000_000;
const B = 1_000;
const loop = getEventLoop();
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
const c0 = threadCpuNs();
loop.callSoon(batch);
await loop.runForever();
const elapsed = (performance.now() - t0) / 1000;
const c1 = threadCpuNs();
const cpu = c0 === null || c1 === null ? {} : { worker_cpu_ns_per_unit: +((c1 - c0) / N).toFixed(1) };
console.log(JSON.stringify({ callbacks_per_s: Math.round(N / elapsed), elapsed_s: elapsed, ...cpu }));
