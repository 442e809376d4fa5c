import { transformSync } from 'esbuild';
import vm from 'node:vm';
import { ScenarioMetaSchema, type ScenarioMeta } from '../../../shared/scenarios/scenario';

/**
 * Finds the text of the object literal in `export const meta = { … }` without running the
 * scenario: a scan that skips strings, template literals and comments while it balances braces.
 */
export function findMetaLiteral(source: string): string | undefined {
  const start = /export\s+const\s+meta\s*(?::\s*[\w.<>]+\s*)?=\s*\{/.exec(source);
  if (!start) return undefined;
  let i = start.index + start[0].length - 1;
  let depth = 0;
  const stack: string[] = []; // open template literals inside ${ … }
  for (; i < source.length; i++) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) return undefined;
    } else if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i + 2) + 1;
      if (i <= 0) return undefined;
    } else if (c === '"' || c === "'") {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === '\\') i++;
    } else if (c === '`' || (c === '}' && stack.length > 0 && stack[stack.length - 1] === `${depth}`)) {
      if (c === '}') stack.pop();
      // Inside a template literal: run to its end or to the next `${`.
      for (i++; i < source.length; i++) {
        if (source[i] === '\\') i++;
        else if (source[i] === '`') break;
        else if (source[i] === '$' && source[i + 1] === '{') {
          stack.push(`${depth}`);
          i++;
          break;
        }
      }
    } else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return source.slice(start.index + start[0].length - 1, i + 1);
    }
  }
  return undefined;
}

/** The outcome of reading a scenario's meta: the meta, or why it could not be read. */
export type MetaResult = { ok: true; meta: ScenarioMeta | undefined } | { ok: false; reason: string };

/**
 * Reads `export const meta` as data. The literal is stripped of types and evaluated alone in an
 * empty context with a short timeout, so listing a folder never runs scenario code.
 */
export function readMeta(source: string): MetaResult {
  const literal = findMetaLiteral(source);
  if (literal === undefined) return { ok: true, meta: undefined };
  let value: unknown;
  try {
    const js = transformSync(`(${literal})`, { loader: 'ts', format: 'esm' }).code;
    value = vm.runInNewContext(js, Object.create(null) as object, { timeout: 50 });
  } catch (error) {
    // Errors thrown inside the vm context come from another realm: read the message by shape.
    const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
    return { ok: false, reason: `meta must be a plain object literal: ${message.split('\n')[0]}` };
  }
  const parsed = ScenarioMetaSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, reason: `meta is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  return { ok: true, meta: parsed.data };
}
