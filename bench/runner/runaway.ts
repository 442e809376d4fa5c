// Stop-latency workload: a scenario that never yields.
console.log('spinning');
for (;;) {
  // a runaway loop: only terminating the worker ends it
}
