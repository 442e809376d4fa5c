// Monaco, loaded on demand (the first open scenario): the core editor and its features, the
// TypeScript and JavaScript languages with their workers, the engine API's declarations, and
// Python's highlighting.
// Workers are bundled by Vite as files of the app (`?worker`), so they load under the CSP's
// `worker-src 'self'`; nothing here needs eval or inline scripts.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/javascript/register';
// Python programs get Monaco's tokenizer only (its grammar loads on first use, as a chunk of its
// own); no language service or diagnostics run on them.
import 'monaco-editor/languages/definitions/python/register';
import {
  javascriptDefaults,
  ModuleKind,
  ModuleResolutionKind,
  ScriptTarget,
  typescriptDefaults,
} from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
// Generated at build time by scripts/engine-typings.mjs from electron/engine/index.ts.
import engineTypings from '../generated/loopwright.d.ts.txt?raw';
import { MONACO_THEMES } from './monaco-themes';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker({ name: 'typescript' }) : new EditorWorker({ name: 'editor' });
  },
};

/** Where the engine's declarations live in Monaco's virtual file system. */
export const ENGINE_TYPINGS_PATH = 'file:///node_modules/@types/loopwright/index.d.ts';

// Scenarios are ES modules run by the host's worker thread: top-level await, modern syntax,
// strict checking as the project's own code gets. The DOM library stays (Monaco's default) for
// `console`, timers and TextEncoder, which the worker also has.
const compilerOptions = {
  target: ScriptTarget.ESNext,
  module: ModuleKind.ESNext,
  moduleResolution: ModuleResolutionKind.NodeJs,
  allowNonTsExtensions: true,
  allowJs: true,
  strict: true,
  noEmit: true,
  esModuleInterop: true,
  skipLibCheck: true,
};
typescriptDefaults.setCompilerOptions(compilerOptions);
javascriptDefaults.setCompilerOptions({ ...compilerOptions, checkJs: false });
typescriptDefaults.setExtraLibs([{ content: engineTypings, filePath: ENGINE_TYPINGS_PATH }]);
javascriptDefaults.setExtraLibs([{ content: engineTypings, filePath: ENGINE_TYPINGS_PATH }]);
// Scenarios import each other: every open model is known to the language service.
typescriptDefaults.setEagerModelSync(true);
javascriptDefaults.setEagerModelSync(true);

for (const theme of Object.values(MONACO_THEMES)) monaco.editor.defineTheme(theme.name, theme.data);

export { monaco };
