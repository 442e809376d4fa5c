import { describe, expect, it } from 'vitest';
import { parseStartArgs, UsageError } from './start-args';

describe('npm start arguments', () => {
  it('defaults to any free port, Electron where present', () => {
    expect(parseStartArgs([])).toEqual({ browser: false, port: 0, help: false });
  });

  it('reads --browser, --port n and --port=n', () => {
    expect(parseStartArgs(['--browser', '--port', '8123'])).toEqual({ browser: true, port: 8123, help: false });
    expect(parseStartArgs(['--port=0'])).toMatchObject({ port: 0 });
  });

  it('refuses a bad port or an unknown option with a one-line usage error', () => {
    for (const argv of [['--port'], ['--port', 'abc'], ['--port', '70000'], ['--port', '-1'], ['--prot', '1']]) {
      expect(() => parseStartArgs(argv), argv.join(' ')).toThrow(UsageError);
    }
    expect(() => parseStartArgs(['--port', 'abc'])).toThrow('--port needs a number from 0 to 65535, got "abc"');
  });
});
