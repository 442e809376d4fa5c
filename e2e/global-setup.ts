import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findElectron } from '../scripts/find-electron.cjs';

const SERVING = /Loopwright is serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/;

/**
 * Starts the workbench exactly as a user does (`npm start -- --browser --port 0`) and hands the
 * printed URL to the specs through LOOPWRIGHT_URL. Returns the teardown that stops it.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = path.resolve(__dirname, '..');
  const electron = findElectron();
  if (!electron.path) process.stdout.write(`Electron project skipped: ${electron.missing}.\n`);
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), '--browser', '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A workspace and recordings folder of its own, so the suite never touches the user's ~/Loopwright.
    env: {
      ...process.env,
      LOOPWRIGHT_WORKSPACE: mkdtempSync(path.join(tmpdir(), 'loopwright-e2e-workspace-')),
      LOOPWRIGHT_RECORDINGS: mkdtempSync(path.join(tmpdir(), 'loopwright-e2e-recordings-')),
    },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the workbench did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = SERVING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  process.env.LOOPWRIGHT_URL = url;
  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
}
