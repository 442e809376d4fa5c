import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineTypingsError, generateEngineTypings, writeEngineTypings } from './engine-typings.mjs';

const REPO = path.resolve(__dirname, '..');

/** A small engine in a scratch folder, with the repository's packages (TypeScript, zod, Node types). */
function scratchEngine(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'loopwright-typings-'));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  writeFileSync(
    path.join(root, 'tsconfig.node.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2023', module: 'ESNext', moduleResolution: 'Bundler', strict: true, skipLibCheck: true, lib: ['ES2023'], types: ['node'] } }),
  );
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const ENGINE = {
  'electron/engine/core/events.ts': [
    "import type { BaseEventLoop } from './base-events';",
    '/** A scheduled callback. */',
    'export class Handle {',
    '  /** @internal */ _secret = 1;',
    '  /** Cancels it. */',
    '  cancel(): void {}',
    '}',
    'let current: BaseEventLoop | null = null;',
    '/** The current loop. */',
    'export function getEventLoop(): BaseEventLoop {',
    "  if (!current) throw new Error('none');",
    '  return current;',
    '}',
    'const helper = 1;',
    'export { helper as renamedHelper };',
  ].join('\n'),
  'electron/engine/core/base-events.ts': [
    "import type { LoopEvent } from '../../../shared/events';",
    "import { Handle } from './events';",
    '/** The loop. */',
    'export class BaseEventLoop {',
    '  /** Loop time in seconds. */',
    '  time(): number { return 0; }',
    '  /** Schedules a callback (asyncio call_soon). */',
    '  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle { void callback; void args; return new Handle(); }',
    '  /** Attaches a sink. */',
    '  setSink(sink: ((event: LoopEvent) => void) | null): void { void sink; }',
    '}',
  ].join('\n'),
  'shared/events.ts': ["import { z } from 'zod';", "export const eventSchema = z.object({ type: z.literal('tick'), time: z.number() });", 'export type LoopEvent = z.infer<typeof eventSchema>;'].join('\n'),
  'electron/engine/node-bits.ts': ["import type { Socket } from 'node:net';", '/** Wraps a socket. */', 'export function wrap(socket: Socket): Uint8Array { void socket; return new Uint8Array(); }'].join('\n'),
  'electron/engine/core/io-loop.ts': [
    "import type { BaseEventLoop } from './base-events';",
    "import type { Handle } from './events';",
    '/** The I/O methods. */',
    'export interface IoMethods {',
    '  /** Opens a connection. */',
    '  createConnection(host: string, port: number): Promise<Handle>;',
    '}',
    "declare module './base-events' {",
    '  // eslint-disable-next-line @typescript-eslint/no-empty-object-type',
    '  interface BaseEventLoop extends IoMethods {}',
    '}',
    '/** Whether the loop does I/O. */',
    "export function isIo(loop: BaseEventLoop): boolean { return 'createConnection' in loop; }",
  ].join('\n'),
  'electron/engine/index.ts': [
    "export * from './core/events';",
    "export { isIo, type IoMethods } from './core/io-loop';",
    "export { BaseEventLoop } from './core/base-events';",
    "export type { LoopEvent } from '../../shared/events';",
    "export { wrap } from './node-bits';",
    '/** Waits. */',
    'export async function sleep(delay: number): Promise<void> { void delay; }',
  ].join('\n'),
};

/** Type-checks `code` against the generated text as Monaco's TypeScript worker would. */
function check(typings: string, code: string): string[] {
  const files = new Map([
    ['/t/loopwright.d.ts', typings],
    ['/t/scenario.ts', code],
  ]);
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, strict: true, noEmit: true, types: [], lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'] };
  const host = ts.createCompilerHost(options);
  const base = { getSourceFile: host.getSourceFile.bind(host), fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host) };
  host.getSourceFile = (name, version) => (files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : base.getSourceFile(name, version));
  host.fileExists = (name) => files.has(name) || base.fileExists(name);
  host.readFile = (name) => files.get(name) ?? base.readFile(name);
  const program = ts.createProgram(['/t/loopwright.d.ts', '/t/scenario.ts'], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile('/t/scenario.ts')).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('the engine typings for the editor', { timeout: 60_000 }, () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('from an engine that compiles', () => {
    beforeEach(() => {
      root = scratchEngine(ENGINE);
    });

    it('declare a `loopwright` module with every export of the entry', () => {
      const result = generateEngineTypings({ root });
      expect(result.exports).toEqual(['BaseEventLoop', 'Handle', 'IoMethods', 'LoopEvent', 'getEventLoop', 'isIo', 'renamedHelper', 'sleep', 'wrap']);
      expect(result.modules.at(-1)).toBe('loopwright');
      expect(result.modules).toContain('loopwright/internal/core/events');
      expect(result.modules).toContain('loopwright/internal/shared/events');
      expect(result.text).toContain("declare module 'loopwright' {");
      expect(result.text).not.toMatch(/from '\.\.?\//);
    });

    it('carry module augmentations (an interface merged from another file) into the editor', () => {
      const { text } = generateEngineTypings({ root });
      expect(text).toContain("// augmentation in electron/engine/core/io-loop.ts\ndeclare module 'loopwright/internal/core/base-events' {");
      const code = "import { getEventLoop } from 'loopwright';\nconst h = await getEventLoop().createConnection('localhost', 8888);\nh.cancel();\nexport {};\n";
      expect(check(text, code)).toEqual([]);
    });

    it('leave @internal members out and keep the documentation', () => {
      const { text } = generateEngineTypings({ root });
      expect(text).not.toContain('_secret');
      expect(text).toContain('/** Schedules a callback (asyncio call_soon). */');
    });

    it('let scenario code complete and type-check against the API', () => {
      const { text } = generateEngineTypings({ root });
      const good = "import { getEventLoop, sleep } from 'loopwright';\nconst loop = getEventLoop();\nloop.callSoon((n: number) => console.log(n), 1);\nawait sleep(loop.time());\nexport {};\n";
      expect(check(text, good)).toEqual([]);
      const bad = "import { getEventLoop } from 'loopwright';\ngetEventLoop().callSoon((n: number) => n, 'one');\ngetEventLoop().nope();\nexport {};\n";
      const errors = check(text, bad);
      expect(errors.join('\n')).toMatch(/'string' is not assignable to parameter of type 'number'/);
      expect(errors.join('\n')).toMatch(/Property 'nope' does not exist on type 'BaseEventLoop'/);
    });

    it('type the event schema through zod, and Node types as any with a warning', () => {
      const { text, warnings } = generateEngineTypings({ root });
      const code = "import type { LoopEvent } from 'loopwright';\nconst e: LoopEvent = { type: 'tock', time: 1 };\nexport { e };\n";
      expect(check(text, code).join('\n')).toMatch(/"tock"/);
      expect(text).toContain("declare module 'node:net';");
      expect(warnings.join('\n')).toMatch(/Socket/);
    });

    it('write the file only when it changed', () => {
      const out = 'out/loopwright.d.ts.txt';
      expect(writeEngineTypings({ root, out }).changed).toBe(true);
      expect(writeEngineTypings({ root, out }).changed).toBe(false);
      expect(readFileSync(path.join(root, out), 'utf8')).toContain("declare module 'loopwright'");
    });
  });

  it('fail loudly, with file and line, when the engine does not compile', () => {
    root = scratchEngine({ ...ENGINE, 'electron/engine/index.ts': `${ENGINE['electron/engine/index.ts']}\nexport const broken: number = 'not a number';\n` });
    expect(() => generateEngineTypings({ root })).toThrow(EngineTypingsError);
    expect(() => generateEngineTypings({ root })).toThrow(/electron\/engine\/index\.ts:\d+:\d+ TS2322: Type 'string' is not assignable to type 'number'/);
  });

  it('fail loudly when a public declaration needs something @internal', () => {
    root = scratchEngine({
      ...ENGINE,
      'electron/engine/index.ts': '/** @internal */\nexport interface Hidden { x: number }\n/** Uses it. */\nexport function uses(h: Hidden): number { return h.x; }\n',
    });
    expect(() => generateEngineTypings({ root })).toThrow(/do not compile on their own[\s\S]*Hidden/);
  });

  it('give an empty module, with a warning, while the entry does not exist', () => {
    root = scratchEngine({});
    const result = generateEngineTypings({ root });
    expect(result.text).toContain("declare module 'loopwright' {");
    expect(result.warnings[0]).toMatch(/does not exist yet/);
  });
});
