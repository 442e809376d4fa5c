import type { SourceLocation } from '../scenarios/transpile';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The first place in a (source-mapped) stack trace that is in the scenario's own file: where the
 * user should look. Undefined when the error did not pass through the scenario's code.
 */
export function locateInStack(stack: string, sourceFile: string): SourceLocation | undefined {
  const pattern = new RegExp(`${escapeRegExp(sourceFile)}:(\\d+):(\\d+)`);
  for (const line of stack.split('\n')) {
    const match = pattern.exec(line);
    if (match) return { file: sourceFile, line: Number(match[1]), column: Number(match[2]) };
  }
  return undefined;
}
