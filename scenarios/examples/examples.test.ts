import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScenarioMetaSchema } from '../../shared/scenarios/scenario';
import { setDefaultEventLoopOptions, setEventLoop } from 'loopwright';

// The tutorial's examples, run as the scenario runner runs them: as modules whose top-level code
// drives the loop. Each one's printed output must equal its meta.expectedOutput exactly.
const EXAMPLES = ['hello-world', 'future', 'coroutine-async-function', 'coroutine-generator', 'ten-tasks'];

afterEach(() => {
  vi.restoreAllMocks();
  setEventLoop(null);
  setDefaultEventLoopOptions({});
});

describe('tutorial examples (scenarios/examples)', () => {
  for (const name of EXAMPLES) {
    it(`${name} prints its expected output on the virtual clock`, async () => {
      setEventLoop(null);
      setDefaultEventLoopOptions({ clock: 'virtual' });
      let out = '';
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        out += args.map(String).join(' ') + '\n';
      });
      const wall0 = performance.now();
      const mod = (await import(`./${name}.ts`)) as { meta: unknown };
      const meta = ScenarioMetaSchema.parse(mod.meta);
      expect(meta.clock).toBe('virtual');
      expect(out).toBe(meta.expectedOutput);
      // "Instant on the virtual clock": the Future example's sleep(2) takes no real time.
      expect(performance.now() - wall0).toBeLessThan(1500);
    });
  }
});
