// E. Subprocess spawns, mirroring ../shared/bench-anchors/e_subprocess.py exactly: N sequential
// `/bin/true` runs, each createSubprocessExec with stdin/stdout/stderr set to /dev/null (asyncio's
// DEVNULL) and then `await proc.wait()`, which must give 0, before the next. Metric: N / elapsed.
//   --n 200   the number of spawns (the default is the anchor's)
//   --sink    attach an event sink (counts events) to measure observing
import { createSubprocessExec, newEventLoop } from '../electron/engine/index';

const arg = (k: string, d: string): string => {
  const i = process.argv.indexOf('--' + k);
  return i > 0 ? process.argv[i + 1] : d;
};
const N = Number(arg('n', '200'));
const withSink = process.argv.includes('--sink');
let events = 0;

const loop = newEventLoop({ clock: 'real' });
if (withSink) loop.setEventSink(() => void events++);

async function main(): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const proc = await createSubprocessExec('/bin/true', { stdin: null, stdout: null, stderr: null });
    const code = await proc.wait();
    if (code !== 0) throw new Error(`/bin/true exited with ${code}`);
  }
  return (performance.now() - t0) / 1000;
}

const el = await loop.runUntilComplete(main);
loop.close();
console.log(
  JSON.stringify({
    bench: 'E_subprocess',
    runtime: 'loopwright' + (withSink ? '+sink' : ''),
    n: N,
    elapsed_s: +el.toFixed(4),
    spawns_per_s: +(N / el).toFixed(1),
    ...(withSink ? { events } : {}),
  }),
);
