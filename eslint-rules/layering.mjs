// The layering rule of STYLE.md, rule 1: the folder is the layer, and an import that crosses a
// layer the wrong way is a lint error. Layers are found from the importing file's path relative to
// the project root; relative imports are resolved to the layer of their target.
import path from 'node:path';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Packages that are pure TypeScript and safe in every layer (schema validation). */
const PURE_PACKAGES = new Set(['zod']);

/** Test files of any layer may use the test framework. */
const TEST_PACKAGES = new Set(['vitest', '@vue/test-utils']);

const isTestFile = (file) => /\.test\.[cm]?[jt]s$/.test(file);

/** Which layer a project-relative path belongs to, or undefined for files outside the rule. */
export function layerOf(rel) {
  const p = rel.split(path.sep).join('/');
  // Engine tests run under Node and may use the Node platform to drive the pure core.
  if (p.startsWith('electron/engine/') && p.endsWith('.test.ts')) return 'engine-node';
  if (p.startsWith('shared/')) return 'shared';
  if (p.startsWith('electron/engine/core/')) return 'engine-core';
  if (p.startsWith('electron/engine/node/')) return 'engine-node';
  if (p === 'electron/engine/index.ts' || p.startsWith('electron/engine/')) return 'engine-node';
  if (p === 'electron/main.ts') return 'electron-main';
  if (p === 'electron/preload.ts') return 'electron-preload';
  if (p.startsWith('electron/')) return 'host';
  if (p.startsWith('renderer/')) return 'renderer';
  return undefined;
}

/** The layers each layer may import from (itself included). */
const MAY_IMPORT = {
  shared: ['shared'],
  'engine-core': ['shared', 'engine-core'],
  'engine-node': ['shared', 'engine-core', 'engine-node'],
  host: ['shared', 'engine-core', 'engine-node', 'host'],
  'electron-main': ['shared', 'engine-core', 'engine-node', 'host', 'electron-main'],
  'electron-preload': ['shared', 'electron-preload'],
  renderer: ['shared', 'renderer'],
};

/** Returns a reason string when `from` (layer) may not import bare specifier `spec`. */
function checkPackage(from, spec) {
  const isNode = NODE_BUILTINS.has(spec) || spec.startsWith('node:');
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  if (pkg === 'electron') {
    if (from === 'electron-main' || from === 'electron-preload') return undefined;
    return 'only electron/main.ts and electron/preload.ts may import electron';
  }
  if (pkg === 'loopwright') {
    return from === 'renderer' || from === 'shared' || from === 'engine-core'
      ? `the ${from} layer may not import the engine's public API`
      : undefined;
  }
  if (PURE_PACKAGES.has(pkg)) return undefined;
  switch (from) {
    case 'shared':
    case 'engine-core':
      return `the ${from} layer imports no packages${isNode ? ' and no node:* modules' : ''} (only ${[...PURE_PACKAGES].join(', ')})`;
    case 'engine-node':
      return isNode ? undefined : 'engine/node imports node:* modules only, no npm packages';
    case 'electron-preload':
      return isNode ? 'the preload runs sandboxed: no node:* modules' : undefined;
    case 'renderer':
      return isNode ? 'the renderer runs in a browser: no node:* modules' : undefined;
    default:
      return undefined;
  }
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layering of STYLE.md rule 1' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { crossing: '{{from}} may not import "{{spec}}": {{reason}}.' },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = layerOf(path.relative(root, file));
    if (!from) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      let reason;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = path.relative(root, path.resolve(path.dirname(file), spec));
        const to = layerOf(target);
        if (target.startsWith('..')) reason = 'it leaves the project';
        else if (to && !MAY_IMPORT[from].includes(to)) reason = `the ${from} layer may import only ${MAY_IMPORT[from].join(', ')}, not ${to}`;
        else if (!to && from !== 'host' && from !== 'electron-main') reason = `${target} is outside the layers`;
      } else if (!(isTestFile(file) && TEST_PACKAGES.has(spec))) {
        reason = checkPackage(from, spec);
      }
      if (reason) context.report({ node, messageId: 'crossing', data: { from, spec, reason } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
  },
};

export default { rules: { layering: layeringRule } };
