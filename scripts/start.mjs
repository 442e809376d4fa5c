#!/usr/bin/env node
// `npm start`: builds when the sources are newer than the build, then opens the Electron window
// where Electron's binary exists, or serves the workbench in browser mode (one line on stdout).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build.mjs';
import { findElectron } from './find-electron.cjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);

async function main() {
  buildIfNeeded();
  // Browser mode's entry also parses and validates the options (and prints --help).
  const serve = createRequire(import.meta.url)(path.join(root, 'out/main/serve.js'));
  const wantsWindow = !argv.some((a) => a === '--browser' || a === '--help' || a === '-h');
  if (wantsWindow) {
    const electron = findElectron();
    if (electron.path) {
      const child = spawn(electron.path, [root, ...argv], { stdio: 'inherit' });
      child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
      return;
    }
    process.stderr.write(`Loopwright: no Electron window: ${electron.missing}. Serving in browser mode instead.\n`);
  }
  await serve.runBrowserMode(argv.filter((a) => a !== '--browser'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`Loopwright: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
