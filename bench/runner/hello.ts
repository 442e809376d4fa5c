// Start-latency workload: the tutorial's hello world, so a run's start is all there is to time.
import { getEventLoop } from 'loopwright';

const loop = getEventLoop();
loop.callSoon(() => {
  console.log('Hello World');
  loop.stop();
});
await loop.runForever();
loop.close();
