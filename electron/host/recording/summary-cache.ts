// The history's summaries, kept beside the recordings between starts (`.loopwright-summaries.json`):
// without them, the first listing after a start read every recording through (counting lines,
// checking each one's head), which for a busy run's recording of 360 MB took the host's main
// thread about 0.3 s, and a folder of a few such took seconds before the history showed. An entry
// is used only while its file's size and modification time are what they were when it was made.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RecordingSummarySchema, type RecordingSummary } from '../../../shared/recording/recordings';
import { writeFileAtomic } from '../scenarios/atomic-write';

const SUMMARIES_FILE = '.loopwright-summaries.json';

/** What a recording's line in the history shows, but its pin and status, and the file's stamp then. */
export interface CachedSummary {
  /** `<size>:<mtimeMs>` of the file when it was read. */
  stamp: string;
  summary: Omit<RecordingSummary, 'pinned' | 'status'>;
}

const FileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.object({ stamp: z.string(), summary: RecordingSummarySchema.omit({ pinned: true, status: true }) })),
});

/** The summaries kept in `folder`; none when there are none or they cannot be read (they are made again). */
export async function loadSummaries(folder: string): Promise<Map<string, CachedSummary>> {
  try {
    const parsed = FileSchema.parse(JSON.parse(await readFile(path.join(folder, SUMMARIES_FILE), 'utf8')));
    return new Map(Object.entries(parsed.entries));
  } catch {
    return new Map();
  }
}

/** Keeps `summaries` in `folder` for the next start (written whole, atomically). */
export async function saveSummaries(folder: string, summaries: ReadonlyMap<string, CachedSummary>): Promise<void> {
  const entries = Object.fromEntries([...summaries].sort(([a], [b]) => (a < b ? -1 : 1)));
  await writeFileAtomic(path.join(folder, SUMMARIES_FILE), `${JSON.stringify({ version: 1, entries })}\n`);
}
