#!/usr/bin/env node
// Generates the type declarations of the engine's public API (electron/engine/index.ts) for the
// scenario editor: one text of ambient `declare module '…' { … }` blocks that the renderer loads
// into Monaco's TypeScript defaults, so `import { getEventLoop } from 'loopwright'` completes and
// type-checks there. scripts/build.mjs runs it before every build.
//
// How: the TypeScript compiler type-checks the engine's import graph and emits its declarations
// (`stripInternal`, so `@internal` members stay out); every emitted file becomes one ambient module
// with its relative imports rewritten to module names (`loopwright/internal/core/events`), and the
// entry becomes `loopwright` itself. Only the files the public declarations reach are included, so
// the text grows with the API, not with the implementation. Packages the declarations use (zod, for
// the event schema) come along the same way; Node's built-in modules become shorthand modules
// (typed `any`), because Monaco has no Node types. The result is compiled once more on its own
// with an editor-like configuration and its exports are compared with the entry's, so a broken or
// incomplete declaration text fails the build instead of reaching the editor.
//
// Failing loudly is the point: type errors in the engine, declarations that do not compile alone,
// or exports that went missing exit with status 1 and the diagnostics. Only a missing entry
// (the engine not written yet) is a warning, with an empty `loopwright` module.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The module name the editor imports. */
export const MODULE_NAME = 'loopwright';
/** Prefix of the modules behind it (one per declaration file). */
const INTERNAL_PREFIX = `${MODULE_NAME}/internal/`;

export const DEFAULTS = {
  entry: 'electron/engine/index.ts',
  tsconfig: 'tsconfig.node.json',
  out: 'renderer/src/generated/loopwright.d.ts.txt',
};

/** Errors in the generated text that a shorthand Node module explains: they degrade to `any`. */
const DEGRADED_CODES = new Set([
  2304, // Cannot find name (only for NODE_GLOBALS: an unknown name of our own is an error)
  2305, // Module has no exported member (a type from a shorthand module)
  2503, // Cannot find namespace (NodeJS)
  2580, // Cannot find name 'require'/'module' … install type definitions for node
  2591, // Cannot find name (Buffer, process) … install type definitions for node
  2592, // Cannot find name … add 'node' to the types field
  2709, // Cannot use namespace as a type (a type imported from a shorthand module)
  2694, // Namespace has no exported member
  2724, // has no exported member named … Did you mean
]);

/** Node's globals, which the editor does not have (no @types/node there). */
const NODE_GLOBALS = new Set(['Buffer', 'BufferEncoding', 'NodeJS', 'process', 'global', 'require', 'module', '__dirname', '__filename', 'setImmediate', 'clearImmediate']);

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Why the declarations could not be generated; `details` holds the diagnostics, one per line. */
export class EngineTypingsError extends Error {
  constructor(message, details = []) {
    super(details.length > 0 ? `${message}\n${details.join('\n')}` : message);
    this.name = 'EngineTypingsError';
    this.details = details;
  }
}

const slash = (p) => p.split(path.sep).join('/');

function formatDiagnostic(d, root) {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
  if (!d.file || d.start === undefined) return `  TS${d.code}: ${text}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `  ${slash(path.relative(root, d.file.fileName))}:${line + 1}:${character + 1} TS${d.code}: ${text}`;
}

/** The compiler options of the layer the engine is checked with, set up for declaration emit. */
function compilerOptions(root, tsconfig) {
  const configPath = path.resolve(root, tsconfig);
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new EngineTypingsError(`cannot read ${tsconfig}`, [formatDiagnostic(d, root)]);
    },
  });
  if (!parsed) throw new EngineTypingsError(`cannot read ${tsconfig}`);
  return {
    ...parsed.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    stripInternal: true,
    declarationMap: false,
    sourceMap: false,
    composite: false,
    incremental: false,
    tsBuildInfoFile: undefined,
    outDir: undefined,
    declarationDir: undefined,
  };
}

/**
 * Where a declaration file's module specifiers are (string literal nodes), what to strip, and its
 * module augmentations (`declare module './base-events' { … }`), which cannot stay nested inside
 * the file's own ambient module and are moved out by the caller.
 */
function scanDeclarations(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const specifiers = [];
  const edits = [];
  const augmentations = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      specifiers.push(node.moduleReference.expression);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const statement of sf.statements) {
    if (ts.isModuleDeclaration(statement) && ts.isStringLiteral(statement.name)) {
      augmentations.push(statement);
      continue;
    }
    // `declare` is implied inside an ambient module and an error there (TS1038); global
    // augmentations keep it, because `declare global` is their syntax.
    const isGlobal = ts.isModuleDeclaration(statement) && (statement.flags & ts.NodeFlags.GlobalAugmentation) !== 0;
    for (const modifier of ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : []) {
      if (modifier.kind === ts.SyntaxKind.DeclareKeyword && !isGlobal) {
        let end = modifier.end;
        while (text[end] === ' ') end++;
        edits.push({ start: modifier.getStart(sf), end, text: '' });
      }
    }
  }
  // Reference directives cannot appear inside a module body: the editor has no Node types anyway.
  for (const ref of [...sf.referencedFiles, ...sf.typeReferenceDirectives, ...sf.libReferenceDirectives]) {
    const lineStart = text.lastIndexOf('\n', ref.pos) + 1;
    const lineEnd = text.indexOf('\n', ref.end);
    edits.push({ start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1, text: '' });
  }
  return { specifiers, edits, augmentations, sourceFile: sf };
}

/** Names a block of statements declares (to keep re-imports from clashing with them). */
function declaredNames(statements) {
  const names = new Set();
  for (const st of statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (st.name && ts.isIdentifier(st.name)) names.add(st.name.text);
  }
  return names;
}

/** An import declaration without the bindings in `drop`: its text ('' when none is left) and local names. */
function importWithout(node, sf, drop, specifierText) {
  const clause = node.importClause;
  const locals = [];
  const parts = [];
  if (clause?.name && !drop.has(clause.name.text)) {
    parts.push(clause.name.text);
    locals.push(clause.name.text);
  }
  const bindings = clause?.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings) && !drop.has(bindings.name.text)) {
    parts.push(`* as ${bindings.name.text}`);
    locals.push(bindings.name.text);
  }
  if (bindings && ts.isNamedImports(bindings)) {
    const kept = bindings.elements.filter((el) => !drop.has(el.name.text));
    if (kept.length > 0) parts.push(`{ ${kept.map((el) => el.getText(sf)).join(', ')} }`);
    locals.push(...kept.map((el) => el.name.text));
  }
  const text = parts.length > 0 ? `import ${clause.isTypeOnly ? 'type ' : ''}${parts.join(', ')} from '${specifierText}';` : '';
  return { text, locals };
}

function applyEdits(text, edits) {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** A readable module name for a file: its path below the engine (or the repository, or node_modules). */
function internalName(root, engineDir, file) {
  const noExt = file.replace(/(\.d)?\.[mc]?[jt]s$/, '');
  const rel = slash(path.relative(engineDir, noExt));
  if (!rel.startsWith('../')) return INTERNAL_PREFIX + rel;
  const fromRoot = slash(path.relative(root, noExt));
  const nodeModules = fromRoot.lastIndexOf('node_modules/');
  return INTERNAL_PREFIX + (nodeModules >= 0 ? fromRoot.slice(nodeModules) : fromRoot);
}

function indent(text) {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}

/**
 * Generates the declaration text. Throws EngineTypingsError when the engine does not compile, when
 * its declarations do not stand alone, or when exports went missing on the way.
 */
export function generateEngineTypings(options = {}) {
  const root = path.resolve(options.root ?? ROOT);
  const entryRel = options.entry ?? DEFAULTS.entry;
  const entry = path.resolve(root, entryRel);
  const warnings = [];
  const header = [
    `// Generated by scripts/engine-typings.mjs from ${slash(entryRel)}. Do not edit: the build`,
    '// regenerates it. The scenario editor loads it into Monaco as the `loopwright` module.',
    '',
  ].join('\n');

  if (!existsSync(entry)) {
    warnings.push(`${slash(entryRel)} does not exist yet: the editor gets an empty '${MODULE_NAME}' module`);
    return { text: `${header}declare module '${MODULE_NAME}' {\n  export {};\n}\n`, warnings, exports: [], modules: [] };
  }

  const compilerOpts = compilerOptions(root, options.tsconfig ?? DEFAULTS.tsconfig);
  const program = ts.createProgram({ rootNames: [entry], options: compilerOpts });
  const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new EngineTypingsError(`the engine's public API (${slash(entryRel)}) does not compile, so the editor cannot get its types:`, errors.map((d) => formatDiagnostic(d, root)));
  }

  // Declaration emit, kept in memory: source file name -> declaration text.
  const emitted = new Map();
  const emit = program.emit(
    undefined,
    (_name, text, _bom, _onError, sourceFiles) => {
      if (sourceFiles?.length === 1) emitted.set(path.resolve(sourceFiles[0].fileName), text);
    },
    undefined,
    true,
  );
  const emitErrors = emit.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (emitErrors.length > 0) {
    throw new EngineTypingsError(`declarations of ${slash(entryRel)} cannot be emitted:`, emitErrors.map((d) => formatDiagnostic(d, root)));
  }

  const checker = program.getTypeChecker();
  const entrySource = program.getSourceFile(entry);
  const entrySymbol = entrySource && checker.getSymbolAtLocation(entrySource);
  const expectedExports = entrySymbol ? checker.getExportsOfModule(entrySymbol).map((s) => s.getName()).sort() : [];

  // Walk the declarations from the entry, pulling in only what they reference.
  const engineDir = path.dirname(entry);
  const names = new Map([[entry, MODULE_NAME]]);
  const modules = [];
  const shorthand = new Set();
  const problems = [];
  const queue = [entry];
  const nameOf = (file) => {
    if (!names.has(file)) {
      names.set(file, internalName(root, engineDir, file));
      queue.push(file);
    }
    return names.get(file);
  };
  /** The ambient module name for a specifier used in `file`, or undefined to keep it (a shorthand module). */
  const moduleNameFor = (spec, file) => {
    const resolved = ts.resolveModuleName(spec, file, compilerOpts, ts.sys).resolvedModule;
    const target = resolved && path.resolve(resolved.resolvedFileName);
    if (target && (emitted.has(target) || (/\.d\.[mc]?ts$/.test(target) && !slash(target).includes('/node_modules/@types/node/')))) {
      return nameOf(target);
    }
    if (target && !target.includes(`${path.sep}node_modules${path.sep}`)) {
      problems.push(`${slash(path.relative(root, file))}: '${spec}' resolves to ${slash(path.relative(root, target))}, which has no declarations`);
      return undefined;
    }
    // A Node built-in (or an unresolvable name): the editor gets a shorthand module.
    if (!NODE_BUILTINS.has(spec)) warnings.push(`'${spec}' (used by ${slash(path.relative(root, file))}) was not found: it is typed any in the editor`);
    shorthand.add(spec);
    return undefined;
  };
  const hoisted = [];
  while (queue.length > 0) {
    const file = queue.shift();
    const isOwn = emitted.has(file);
    const text = isOwn ? emitted.get(file) : readFileSync(file, 'utf8');
    const scan = scanDeclarations(file, text);
    const sf = scan.sourceFile;
    const renamed = new Map();
    const edits = [...scan.edits];
    for (const literal of scan.specifiers) {
      const name = moduleNameFor(literal.text, file);
      if (name === undefined) continue;
      renamed.set(literal.text, name);
      edits.push({ start: literal.getStart(sf) + 1, end: literal.getEnd() - 1, text: name });
    }
    // Module augmentations move out to a top-level block of their own, with the file's imports
    // (and its exports) in scope, since ambient modules cannot be nested.
    const inside = (edit, node) => edit.start >= node.getStart(sf) && edit.end <= node.getEnd();
    for (const aug of scan.augmentations) {
      const target = moduleNameFor(aug.name.text, file) ?? aug.name.text;
      const body = aug.body && ts.isModuleBlock(aug.body) ? aug.body : undefined;
      const bodyStart = body ? body.getStart(sf) + 1 : aug.getEnd();
      const bodyEnd = body ? body.getEnd() - 1 : aug.getEnd();
      const own = edits.filter((e) => inside(e, aug)).map((e) => ({ ...e, start: e.start - bodyStart, end: e.end - bodyStart }));
      const bodyText = applyEdits(text.slice(bodyStart, bodyEnd), own);
      const declared = declaredNames(body ? body.statements : []);
      const kept = sf.statements
        .filter((st) => ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier))
        .map((st) => importWithout(st, sf, declared, renamed.get(st.moduleSpecifier.text) ?? st.moduleSpecifier.text));
      const imports = kept.map((k) => k.text).filter(Boolean);
      const importedNames = new Set(kept.flatMap((k) => k.locals));
      const source = program.getSourceFile(file);
      const symbol = source && checker.getSymbolAtLocation(source);
      const exported = symbol ? checker.getExportsOfModule(symbol).map((e) => e.getName()).filter((n) => !declared.has(n) && !importedNames.has(n) && n !== 'default') : [];
      if (exported.length > 0) imports.push(`import type { ${exported.join(', ')} } from '${names.get(file)}';`);
      hoisted.push({ name: target, file: slash(path.relative(root, file)), body: `${imports.join('\n')}\n${bodyText.replace(/^\n+/, '')}` });
      for (let i = edits.length - 1; i >= 0; i--) if (inside(edits[i], aug)) edits.splice(i, 1);
      edits.push({ start: aug.getFullStart(), end: aug.getEnd(), text: '' });
    }
    const shown = slash(path.relative(root, file));
    modules.push({ name: names.get(file), file: shown.includes('node_modules/') ? shown.slice(shown.lastIndexOf('node_modules/')) : shown, body: applyEdits(text, edits) });
  }
  if (problems.length > 0) throw new EngineTypingsError('the engine declarations cannot be packaged for the editor:', problems.map((p) => `  ${p}`));

  // Entry last: a reader of the text finds the public surface at the end, after what it re-exports.
  const ordered = [...modules.filter((m) => m.name !== MODULE_NAME), ...modules.filter((m) => m.name === MODULE_NAME)];
  const blocks = ordered.map((m) => `// ${m.file}\ndeclare module '${m.name}' {\n${indent(m.body)}\n}\n`);
  for (const h of hoisted) blocks.push(`// augmentation in ${h.file}\ndeclare module '${h.name}' {\n${indent(h.body)}\n}\n`);
  for (const spec of [...shorthand].sort()) blocks.push(`declare module '${spec}';\n`);
  const text = `${header}${blocks.join('\n')}`;

  // Packages' own declarations are known to compile: the check reads them but reports only on ours.
  const ownText = blocks.filter((_b, i) => i >= ordered.length || !ordered[i].name.startsWith(`${INTERNAL_PREFIX}node_modules/`)).join('\n');
  const packageText = blocks.filter((_b, i) => i < ordered.length && ordered[i].name.startsWith(`${INTERNAL_PREFIX}node_modules/`)).join('\n');
  const verified = verifyStandalone(ownText, packageText, expectedExports);
  warnings.push(...verified.warnings);
  return { text, warnings, exports: expectedExports, modules: ordered.map((m) => m.name) };
}

/**
 * Compiles the text alone, as Monaco will (no Node types, DOM and ESNext libraries), with a probe
 * that imports the module, and checks that every export of the entry is there.
 */
function verifyStandalone(text, packageText, expectedExports) {
  const files = new Map([
    ['/typings/loopwright.d.ts', text],
    ['/typings/packages.d.ts', packageText],
    ['/typings/probe.ts', `import * as api from '${MODULE_NAME}';\nexport type Probe = typeof api;\n`],
  ]);
  const options = {
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    types: [],
    lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError) =>
    files.has(name) ? ts.createSourceFile(name, files.get(name), languageVersion, true) : getSourceFile(name, languageVersion, onError);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const checked = ['/typings/loopwright.d.ts', '/typings/probe.ts'].map((name) => program.getSourceFile(name));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...checked.flatMap((sf) => program.getSemanticDiagnostics(sf)),
  ].filter((d) => d.category === ts.DiagnosticCategory.Error);
  const render = (d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined) return `  TS${d.code}: ${message}`;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `  generated line ${line + 1}: TS${d.code}: ${message} (in: ${d.file.text.split('\n')[line].trim()})`;
  };
  const degraded = (d) => {
    if (!DEGRADED_CODES.has(d.code) || d.file?.fileName !== '/typings/loopwright.d.ts') return false;
    const name = /Cannot find name '([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, ' '))?.[1];
    return d.code !== 2304 || (name !== undefined && NODE_GLOBALS.has(name));
  };
  const fatal = diagnostics.filter((d) => !degraded(d));
  if (fatal.length > 0) throw new EngineTypingsError('the generated declarations do not compile on their own:', fatal.map(render));
  const warnings = diagnostics.map((d) => `a type the editor cannot resolve is typed any:${render(d).trimStart().replace(/^generated/, ' generated')}`);

  const checker = program.getTypeChecker();
  const ambient = checker.getAmbientModules().find((m) => m.getName() === `"${MODULE_NAME}"`);
  const actual = new Set(ambient ? checker.getExportsOfModule(ambient).map((s) => s.getName()) : []);
  const missing = expectedExports.filter((name) => !actual.has(name));
  if (missing.length > 0) throw new EngineTypingsError(`the generated '${MODULE_NAME}' module lacks exports of the engine: ${missing.join(', ')}`);
  return { warnings };
}

/** Generates and writes the declarations (only when they changed). Returns what generate returned. */
export function writeEngineTypings(options = {}) {
  const root = path.resolve(options.root ?? ROOT);
  const out = path.resolve(root, options.out ?? DEFAULTS.out);
  const result = generateEngineTypings(options);
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  if (previous !== result.text) {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, result.text);
  }
  return { ...result, out, changed: previous !== result.text };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // stdout belongs to `npm start` (its one serving line): everything here goes to stderr.
  try {
    const result = writeEngineTypings();
    for (const w of result.warnings) process.stderr.write(`Loopwright: engine typings: warning: ${w}\n`);
  } catch (error) {
    process.stderr.write(`Loopwright: engine typings: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
