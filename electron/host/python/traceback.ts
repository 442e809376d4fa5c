// A Python program's uncaught exception, read back from the traceback it printed on stderr, in the
// shape the run's listeners know (name, message, the program's own line).
import type { ScenarioErrorInfo } from '../runs/worker-protocol';

/** The error of the last traceback (or SyntaxError report) in `stderr`, located in `file`. */
export function parsePythonError(stderr: string, file: string): ScenarioErrorInfo | undefined {
  const text = stderr.replace(/\r\n/g, '\n').trimEnd();
  if (text.length === 0) return undefined;
  const start = text.lastIndexOf('Traceback (most recent call last):');
  const block = start >= 0 ? text.slice(start) : text;
  const lines = block.split('\n');
  const last = lines[lines.length - 1];
  const head = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(last);
  if (!head) return undefined;
  const [, name, message = ''] = head;
  let location: ScenarioErrorInfo['location'];
  for (let i = 0; i < lines.length; i++) {
    const frame = /^\s*File "(.+)", line (\d+)/.exec(lines[i]);
    if (!frame || frame[1] !== file) continue;
    const next = lines[i + 1];
    const lineText = next !== undefined && !/^\s*File "/.test(next) && !/^\S/.test(next) ? next.trim() : undefined;
    location = { file, line: Number(frame[2]), column: 1, ...(lineText ? { lineText } : {}) };
  }
  return { name: name.split('.').pop() ?? name, message, stack: block, ...(location ? { location } : {}) };
}
