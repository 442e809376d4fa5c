#!/usr/bin/env node
// `npx loopwright`: builds when the sources changed (as `npm start` does), then runs the CLI.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from '../scripts/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `loopwright run x --json | head` closes our stdout early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
buildIfNeeded();
const { main } = createRequire(import.meta.url)(path.join(root, 'out/main/cli.js'));
process.exitCode = await main(process.argv.slice(2));
