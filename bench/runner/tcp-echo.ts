// A TCP echo workload inside a scenario worker: a Protocol echo server and C clients in one loop,
// each sending M messages of 1 KiB and waiting for the full echo before the next (echo-protocols.ts).
import { getEventLoop } from 'loopwright';
import { Client, Echo } from './echo-protocols';
import { threadCpuNs } from './thread-cpu';

const C = 10;
const M = 2_000;
const loop = getEventLoop();

async function main(): Promise<[elapsed: number, cpuNs: number | null]> {
  const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
  const [, port] = server.sockets[0].getsockname();
  let finished = 0;
  const all = loop.createFuture<void>();
  const t0 = performance.now();
  const c0 = threadCpuNs();
  for (let i = 0; i < C; i++) {
    await loop.createConnection(() => new Client(M, () => ++finished === C && all.setResult()), '127.0.0.1', port);
  }
  await all;
  const elapsed = (performance.now() - t0) / 1000;
  const c1 = threadCpuNs();
  server.close();
  return [elapsed, c0 === null || c1 === null ? null : c1 - c0];
}

const [elapsed, cpuNs] = await loop.runUntilComplete(main);
const cpu = cpuNs === null ? {} : { worker_cpu_ns_per_unit: Math.round(cpuNs / (C * M)) };
console.log(JSON.stringify({ msgs_per_s: Math.round((C * M) / elapsed), elapsed_s: elapsed, ...cpu }));
loop.close();
