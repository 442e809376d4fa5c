import { diffLines } from 'diff';

/** The result of comparing a run's stdout with the expected output. */
export interface OutputCheck {
  ok: boolean;
  /** A readable line diff (`-` expected, `+` actual), empty when equal. */
  diff: string;
}

/** Shows line ends, so a missing final newline is visible in the diff. */
function visible(line: string): string {
  return line.length === 0 ? '⏎' : line;
}

/**
 * Compares output exactly (line endings normalised to \n, as a terminal shows them) and renders a
 * diff a person can read: unchanged context around each change, `-` for expected, `+` for actual.
 */
export function checkOutput(expected: string, actual: string, context = 2): OutputCheck {
  const a = expected.replace(/\r\n/g, '\n');
  const b = actual.replace(/\r\n/g, '\n');
  if (a === b) return { ok: true, diff: '' };
  const parts = diffLines(a, b);
  const out: string[] = ['--- expected', '+++ actual'];
  parts.forEach((part, index) => {
    const lines = part.value.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (part.added || part.removed) {
      const mark = part.added ? '+' : '-';
      for (const line of lines) out.push(`${mark} ${visible(line)}`);
      if (!part.value.endsWith('\n')) out.push(`${mark} (no newline at end)`);
      return;
    }
    // Unchanged run: keep a little context next to each change.
    const before = index > 0 ? lines.slice(0, context) : [];
    const after = index < parts.length - 1 ? lines.slice(-context) : [];
    if (lines.length > before.length + after.length) {
      out.push(...before.map((l) => `  ${visible(l)}`));
      if (before.length > 0 || after.length > 0) out.push(`  … ${lines.length - before.length - after.length} unchanged line(s)`);
      out.push(...after.map((l) => `  ${visible(l)}`));
    } else {
      out.push(...lines.map((l) => `  ${visible(l)}`));
    }
  });
  return { ok: false, diff: out.join('\n') };
}
