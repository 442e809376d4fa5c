import { describe, expect, it } from 'vitest';
import { describeError } from '../api/errors';
import { IpcError } from '../../../shared/ipc/wire';
import { fileName, keyOf, normalizeScenarioPath } from './scenario-ref';

describe('scenario names', () => {
  it('complete a bare name with .ts and keep a scenario ending', () => {
    expect(normalizeScenarioPath(' echo ')).toEqual({ path: 'echo.ts' });
    expect(normalizeScenarioPath('net/echo.mjs')).toEqual({ path: 'net/echo.mjs' });
    expect(normalizeScenarioPath('v1.2')).toEqual({ path: 'v1.2.ts' });
    expect(normalizeScenarioPath('net/echo.py')).toEqual({ path: 'net/echo.py' });
  });

  it('refuse what the host would refuse, in a sentence', () => {
    for (const bad of ['', '/abs.ts', 'a\\b.ts', '../x.ts', 'a//b.ts', '.hidden.ts', 'types.d.ts', 'x.test.ts', 'notes.txt', 'test_echo.py', 'net/conftest.py', 'pkg/__init__.py']) {
      expect(normalizeScenarioPath(bad), bad).toHaveProperty('problem');
    }
  });

  it('have keys and file names', () => {
    expect(keyOf({ location: 'library', path: 'net/echo.ts' })).toBe('library/net/echo.ts');
    expect(fileName('net/echo.ts')).toBe('echo.ts');
  });
});

describe('error messages for people', () => {
  it('drop the router’s channel prefix', () => {
    expect(describeError(new IpcError('handler-failed', '"scenarios.create" failed: x.ts already exists'))).toBe('X.ts already exists');
  });

  it('keep only the issue of an invalid payload', () => {
    expect(describeError(new IpcError('invalid-payload', 'invalid arguments for "scenarios.create": 0.path: must be a relative path with forward slashes'))).toBe(
      'Must be a relative path with forward slashes',
    );
  });

  it('read errors that lost their class (Electron’s contextBridge)', () => {
    expect(describeError(new Error('"scenarios.write" failed: EACCES: permission denied'))).toBe('EACCES: permission denied');
    expect(describeError({ code: 'disconnected', message: 'socket closed' })).toBe('The Loopwright host is not connected (socket closed).');
  });
});
