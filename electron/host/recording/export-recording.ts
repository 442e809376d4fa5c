// Runs one exporter over a whole recording and writes its output to a file: lines are read in
// batches, output is written in large blocks, and the file appears under its name only when it is
// complete (a temporary name, then a rename).
import { open, rename, unlink } from 'node:fs/promises';
import type { ExportFormat, ExportResult } from '../../../shared/recording/recordings';
import { CastExporter } from './cast-export';
import { PcapngExporter, type ExportSink } from './pcapng-export';
import type { RecordingFile } from './recording-file';
import { TraceExporter } from './trace-export';

const BATCH_LINES = 20_000;
const WRITE_BLOCK = 1024 * 1024;

/** The usual file extension of each format. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { pcapng: '.pcapng', trace: '.trace.json', cast: '.cast' };

/** Exports `recording` as `format` into `outFile`. */
export async function exportRecording(recording: RecordingFile, format: ExportFormat, outFile: string, options: { transportId?: number } = {}): Promise<ExportResult> {
  const temp = `${outFile}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let written = 0;
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    if (pendingBytes === 0) return;
    const block = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    written += block.length;
    writing = writing.then(async () => {
      await handle.write(block);
    });
  };
  const sink: ExportSink = (piece) => {
    const b = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    pending.push(b);
    pendingBytes += b.length;
    if (pendingBytes >= WRITE_BLOCK) flush();
  };
  try {
    const exporter =
      format === 'pcapng' ? new PcapngExporter(recording.header, sink) : format === 'trace' ? new TraceExporter(recording.header, sink) : new CastExporter(recording.header, sink, options.transportId);
    for (let from = 1; from <= recording.lineCount; from += BATCH_LINES) {
      for (const line of recording.range(from, from + BATCH_LINES - 1)) exporter.add(line);
      // Let the writes go out between batches instead of holding the whole file in memory.
      await writing;
    }
    const { notes } = exporter.finish();
    flush();
    await writing;
    await handle.sync();
    await handle.close();
    await rename(temp, outFile);
    return { file: outFile, sizeBytes: written, notes: [...recording.warnings, ...notes] };
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
}
