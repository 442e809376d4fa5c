// The meta of a Python scenario: a `# meta:` comment block, read as data without running Python.
//
//     # meta:
//     #   title: Hello world (call_soon and run_forever)
//     #   description: A first line of the description,
//     #     continued on lines indented deeper than the keys.
//     #   clock: real
//     #   expectedOutput: |
//     #     Hello World
//     #     (one output line per comment line, each ending with a newline)
//
// Keys are those of a TypeScript scenario's `export const meta` (title, description, clock,
// expectedOutput). A value is the rest of its line; a value that starts with `"` is a JSON string
// (for an expected output with blank lines or without a final newline: "a\n\nb"); `|` starts a
// block whose lines, down to the first line indented no deeper than the keys, are the text. A
// comment block, rather than a module docstring or a `meta = {...}` literal, because it needs no
// Python parser and leaves the program's own docstring alone.
import { ScenarioMetaSchema } from '../../../shared/scenarios/scenario';
import type { MetaResult } from '../scenarios/meta';

const KEYS = new Set(['title', 'description', 'clock', 'expectedOutput']);

/** Reads the `# meta:` block of a Python scenario (none: ok with no meta). */
export function readPythonMeta(source: string): MetaResult {
  const lines = source.split(/\r?\n/);
  const start = lines.findIndex((l) => /^#\s*meta:\s*$/.test(l));
  if (start < 0) return { ok: true, meta: undefined };
  const raw: Record<string, string> = {};
  let keyIndent = -1;
  let i = start + 1;
  while (i < lines.length) {
    const line = lines[i];
    const m = /^#( *)(\S.*)?$/.exec(line);
    if (!m || m[2] === undefined) break; // the block ends at code or at an empty comment line
    const indent = m[1].length;
    if (keyIndent < 0) keyIndent = indent;
    if (indent < keyIndent) break;
    const entry = /^([A-Za-z]+):\s?(.*)$/.exec(m[2]);
    if (indent > keyIndent || !entry) return { ok: false, reason: `meta line ${i + 1}: expected "key: value" at the keys' indentation` };
    const [, key, rest] = entry;
    if (!KEYS.has(key)) return { ok: false, reason: `meta line ${i + 1}: unknown key "${key}" (known: ${[...KEYS].join(', ')})` };
    i++;
    if (rest.trim() === '|') {
      // A literal block: every deeper-indented comment line is a line of the text.
      let text = '';
      let blockIndent = -1;
      while (i < lines.length) {
        const b = /^#( *)(.*)$/.exec(lines[i]);
        if (!b || b[2] === '' || b[1].length <= keyIndent) break;
        if (blockIndent < 0) blockIndent = b[1].length;
        text += `${' '.repeat(Math.max(0, b[1].length - blockIndent))}${b[2]}\n`;
        i++;
      }
      raw[key] = text;
      continue;
    }
    let value = rest.trim();
    if (value.startsWith('"')) {
      try {
        raw[key] = JSON.parse(value) as string;
      } catch {
        return { ok: false, reason: `meta line ${i}: ${key} starts with " but is not a JSON string` };
      }
      continue;
    }
    // Continuation lines, indented deeper than the keys, join the value with a space.
    while (i < lines.length) {
      const c = /^#( *)(\S.*)$/.exec(lines[i]);
      if (!c || c[1].length <= keyIndent) break;
      value += ` ${c[2].trim()}`;
      i++;
    }
    raw[key] = value;
  }
  const parsed = ScenarioMetaSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reason: `meta is not valid: ${parsed.error.issues.map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`).join('; ')}` };
  }
  return { ok: true, meta: parsed.data };
}
