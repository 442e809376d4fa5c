import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The URL prefix under which browser mode serves the recordings' exports for download. */
export const EXPORTS_PATH = '/exports/';

/** Content types of the export formats (pcapng as Wireshark registers it, asciinema's own). */
const TYPES: readonly (readonly [suffix: string, type: string])[] = [
  ['.pcapng', 'application/vnd.tcpdump.pcap'],
  ['.trace.json', 'application/json'],
  ['.json', 'application/json'],
  ['.cast', 'application/x-asciicast'],
];

/** An export to send: its bytes, content type and the name to save it as. */
export interface ExportFile {
  body: Buffer;
  type: string;
  name: string;
}

/** Whether a name is a plain file name the exports folder may hold: no folders, no dot files, no control characters. */
export function isExportName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length > 0 && name.length <= 255 && !/[/\\\x00-\x1f\x7f]/.test(name) && !name.startsWith('.');
}

/** A Content-Disposition that saves the file under its own name (RFC 6266: an ASCII fallback and the UTF-8 name). */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Reads an export by its URL-encoded file name. Anything that is not a plain file name in the
 * folder (`..`, slashes, encoded or not, dot files) is undefined, as is a missing file.
 */
export async function readExport(folder: string, encodedName: string): Promise<ExportFile | undefined> {
  let name: string;
  try {
    name = decodeURIComponent(encodedName);
  } catch {
    return undefined;
  }
  if (!isExportName(name)) return undefined;
  const full = path.resolve(folder, name);
  if (path.dirname(full) !== path.resolve(folder)) return undefined;
  try {
    const body = await readFile(full);
    const type = TYPES.find(([suffix]) => name.endsWith(suffix))?.[1] ?? 'application/octet-stream';
    return { body, type, name };
  } catch {
    return undefined;
  }
}
