// Finds Electron's binary without require('electron'), which would try to download it.
'use strict';
// CommonJS so that both scripts/start.mjs and the Playwright fixtures (compiled to CommonJS) load it.
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/**
 * Where Electron's binary is, without require('electron') (which would try to download it):
 * ELECTRON_EXEC_PATH, else the electron package's path.txt and dist/ folder.
 */
function findElectron() {
  if (process.env.ELECTRON_EXEC_PATH) {
    return existsSync(process.env.ELECTRON_EXEC_PATH)
      ? { path: process.env.ELECTRON_EXEC_PATH }
      : { missing: `ELECTRON_EXEC_PATH points to ${process.env.ELECTRON_EXEC_PATH}, which does not exist` };
  }
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json', { paths: [root] }));
  } catch {
    return { missing: 'the electron package is not installed (run npm install)' };
  }
  const txt = path.join(pkgDir, 'path.txt');
  if (!existsSync(txt)) {
    return { missing: `Electron's binary was never downloaded; run \`node ${path.relative(root, path.join(pkgDir, 'install.js'))}\` with network access to get it` };
  }
  const exe = path.join(pkgDir, 'dist', readFileSync(txt, 'utf8').trim());
  return existsSync(exe) ? { path: exe } : { missing: `Electron's binary is missing at ${exe}; re-run \`node ${path.relative(root, path.join(pkgDir, 'install.js'))}\` with network access` };
}


module.exports = { findElectron };
