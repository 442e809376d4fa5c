// A virtual-clock run without real I/O is deterministic: two recordings of it hold the same lines,
// wall times aside. Checked for every library scenario it applies to, through the same path a
// recorded run takes (a scenario worker, the recorder, the file).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from './recording-reader';
import { libraryScenario, recordRun } from './test-recordings';

const LIBRARY = path.resolve(__dirname, '../../../scenarios/examples');
/** Anything that reaches the operating system for I/O makes a run depend on more than the loop. */
const REAL_IO = /\b(createServer|createConnection|createDatagramEndpoint|subprocessExec|subprocessShell|createSubprocess\w*|connectReadPipe|connectWritePipe|openConnection|startServer)\b/;

/** The library scenarios on the virtual clock that use no real I/O. */
const applicable = readdirSync(LIBRARY)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .filter((f) => {
    const source = readFileSync(path.join(LIBRARY, f), 'utf8');
    return /clock: 'virtual'/.test(source) && !REAL_IO.test(source);
  })
  .map((f) => f.replace(/\.ts$/, ''));

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'loopwright-determinism-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a virtual-clock run without real I/O, recorded twice, gives identical event streams (wall time aside)', { timeout: 60_000 }, () => {
  it('applies to the tutorial examples of the library', () => {
    expect(applicable).toEqual(expect.arrayContaining(['hello-world', 'call-later', 'future', 'coroutine-async-function', 'coroutine-generator', 'ten-tasks', 'cancellation']));
  });

  for (const name of applicable) {
    it(name, async () => {
      const streams: unknown[][] = [];
      for (const attempt of [1, 2]) {
        const out = path.join(dir, `${name}-${attempt}.lwrec`);
        const { result } = await recordRun(libraryScenario(name), out, { clock: 'virtual' });
        expect(result.state).toBe('finished');
        streams.push((await readRecording(out)).lines.map(({ wall: _wall, ...rest }) => rest));
      }
      const [a, b] = streams;
      expect(a.length).toBeGreaterThan(5);
      expect(b).toEqual(a);
    });
  }
});
