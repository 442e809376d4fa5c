import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const START = path.resolve(__dirname, 'start.mjs');

/** Runs `npm start`'s script to completion (or until it serves) and collects its output. */
function runStart(args: string[], untilServing = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [START, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (untilServing && stdout.includes('\n')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

// These start the real launcher, which builds first when the build is stale.
describe('npm start (browser mode)', { timeout: 120_000 }, () => {
  it('prints exactly one serving line with a loopback URL and token', async () => {
    const { stdout } = await runStart(['--browser', '--port', '0'], true);
    expect(stdout).toMatch(/^Loopwright is serving at http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}\n$/);
  });

  it('says in one line that a port is in use, and exits 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const { code, stdout, stderr } = await runStart(['--browser', '--port', String(port)]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n').at(-1)).toBe(
        `Loopwright: port ${port} on 127.0.0.1 is already in use; pick another with --port <n>, or --port 0 for any free port`,
      );
    } finally {
      blocker.close();
    }
  });

  it('refuses a bad option with a usage message and exit code 2', async () => {
    const { code, stderr } = await runStart(['--browser', '--port', 'abc']);
    expect(code).toBe(2);
    expect(stderr).toContain('Loopwright: --port needs a number from 0 to 65535, got "abc"');
    expect(stderr).toContain('Usage: npm start');
  });
});
