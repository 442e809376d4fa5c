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

/** Whether a name is a plain file name the exports folder may hold: no folders, no dot files. */
export function isExportName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && /^[\w.-]+$/.test(name) && !name.startsWith('.');
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
  const full = path.join(folder, name);
  if (path.dirname(full) !== path.resolve(folder)) return undefined;
  try {
    const body = await readFile(full);
    const type = TYPES.find(([suffix]) => name.endsWith(suffix))?.[1] ?? 'application/octet-stream';
    return { body, type, name };
  } catch {
    return undefined;
  }
}
