import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the file at `file` (project-relative) and returns the layering messages. */
async function layering(file, code) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'loopwright/layering').map((m) => m.message);
}

describe('the layering lint rule (STYLE.md rule 1)', () => {
  const refused = [
    ['shared/ipc/x.ts', "import fs from 'node:fs';"],
    ['shared/ipc/x.ts', "import { app } from 'electron';"],
    ['shared/ipc/x.ts', "import { a } from '../../electron/host/router';"],
    ['shared/ipc/x.ts', "import { ref } from 'vue';"],
    ['shared/ipc/x.ts', "import { it } from 'vitest';"],
    ['electron/engine/core/x.ts', "import net from 'node:net';"],
    ['electron/engine/core/x.ts', "import { EventEmitter } from 'events';"],
    ['electron/engine/core/x.ts', "import { a } from '../node/tcp';"],
    ['electron/engine/node/x.ts', "import WebSocket from 'ws';"],
    ['electron/host/x.ts', "import { app } from 'electron';"],
    ['electron/host/x.ts', "import App from '../../renderer/src/App.vue';"],
    ['electron/serve/x.ts', "export * from '../../renderer/src/api/client';"],
    ['electron/main.ts', "import { a } from '../renderer/src/main';"],
    ['electron/preload.ts', "import { a } from './host/router';"],
    ['electron/preload.ts', "import fs from 'node:fs';"],
    ['renderer/src/x.ts', "import fs from 'fs';"],
    ['renderer/src/x.ts', "import { a } from '../../electron/host/router';"],
    ['renderer/src/x.ts', "const m = await import('../../electron/host/router');"],
  ];
  it.each(refused)('refuses in %s: %s', async (file, code) => {
    expect(await layering(file, code)).toHaveLength(1);
  });

  const allowed = [
    ['shared/ipc/x.ts', "import { z } from 'zod'; import { a } from './define';"],
    ['electron/engine/core/x.ts', "import { a } from '../../../shared/engine/events';"],
    ['electron/engine/node/x.ts', "import net from 'node:net'; import { a } from '../core/futures';"],
    ['electron/engine/core/futures.test.ts', "import { a } from '../node/node-platform';"],
    ['electron/host/x.ts', "import { WebSocketServer } from 'ws'; import { a } from '../engine/index';"],
    ['electron/main.ts', "import { app } from 'electron'; import { a } from './host/router';"],
    ['electron/preload.ts', "import { contextBridge } from 'electron'; import { a } from '../shared/ipc/client';"],
    ['renderer/src/x.ts', "import { ref } from 'vue'; import { a } from '../../shared/ipc/contract';"],
    ['shared/ipc/x.test.ts', "import { it } from 'vitest';"],
  ];
  it.each(allowed)('allows in %s: %s', async (file, code) => {
    expect(await layering(file, code)).toEqual([]);
  });
});
