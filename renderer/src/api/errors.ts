/**
 * The sentence to show for a failed host call. The host's messages already say what went wrong
 * ("hello.ts already exists"); the channel prefix the router adds is for logs, not for people.
 * Errors that crossed Electron's contextBridge keep only their message, so this reads the text,
 * not the class.
 */
export function describeError(error: unknown): string {
  const carried = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  const message = typeof carried === 'string' ? carried : typeof error === 'string' ? error : String(error);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const cleaned = message
    .replace(/^"[\w.]+" failed: /, '')
    .replace(/^invalid arguments for "[\w.]+": /, '')
    .replace(/(^|; )\d+(\.\w+)*: /g, '$1');
  if (code === 'disconnected') return `The Loopwright host is not connected (${cleaned}).`;
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}
