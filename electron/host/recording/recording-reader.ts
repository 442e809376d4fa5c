import { readFile } from 'node:fs/promises';
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  RecordingHeaderSchema,
  type RecordingHeader,
  type RecordingLine,
} from '../../../shared/recording/format';

/** Why a recording cannot be opened; the message says it in a sentence. */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  constructor(
    readonly code: 'empty' | 'not-a-recording' | 'newer-version' | 'corrupt',
    message: string,
    /** The 1-based line number of a corrupt line. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** An opened recording. */
export interface OpenedRecording {
  header: RecordingHeader;
  lines: RecordingLine[];
  /** What was wrong but recoverable, e.g. a torn last line dropped after a crash. */
  warnings: string[];
}

const KINDS = new Set(['event', 'output', 'error', 'state']);

/** A cheap structural check: full schema validation of a million lines would cost seconds. */
export function plausibleLine(value: unknown, expectedSeq: number): value is RecordingLine {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { seq?: unknown; wall?: unknown; kind?: unknown; event?: { type?: unknown } };
  if (v.seq !== expectedSeq || typeof v.wall !== 'number' || typeof v.kind !== 'string' || !KINDS.has(v.kind)) return false;
  return v.kind !== 'event' || (typeof v.event === 'object' && v.event !== null && typeof v.event.type === 'string');
}

/** Checks a parsed first line: our format, a version we read, and a valid header. */
export function checkHeader(headerValue: unknown): RecordingHeader {
  const format = (headerValue as { format?: unknown } | null)?.format;
  const version = (headerValue as { version?: unknown } | null)?.version;
  if (format !== RECORDING_FORMAT) throw new RecordingError('not-a-recording', 'this is not a Loopwright recording (its header names another format)');
  if (typeof version === 'number' && version > RECORDING_VERSION) {
    throw new RecordingError('newer-version', `this recording was made by a newer Loopwright (format version ${version}); this one reads version ${RECORDING_VERSION}: update Loopwright to open it`);
  }
  const header = RecordingHeaderSchema.safeParse(headerValue);
  if (!header.success) throw new RecordingError('corrupt', `line 1 (the header) is corrupt: ${header.error.issues[0]?.message ?? 'invalid'}`, 1);
  return header.data;
}

/** The warning for a last line cut off by a crash (`lineNo` counts the header as line 1). */
export function tornLastLineWarning(lineNo: number): string {
  return `the last line (line ${lineNo}) was cut off, probably by a crash, and was dropped; everything before it is intact`;
}

/**
 * Parses a recording. A last line cut off by a crash is dropped with a warning; any other bad line
 * is corruption, reported with its line number and never skipped; a newer format version is
 * refused with a message that says so. (recording-file.ts applies the same rules while streaming
 * a large file.)
 */
export function parseRecording(text: string): OpenedRecording {
  const warnings: string[] = [];
  const endsWhole = text.endsWith('\n');
  const rows = text.split('\n');
  if (endsWhole) rows.pop();
  if (rows.length === 0 || (rows.length === 1 && rows[0] === '')) throw new RecordingError('empty', 'the recording is empty');

  let headerValue: unknown;
  try {
    headerValue = JSON.parse(rows[0]);
  } catch {
    if (rows.length === 1 && !endsWhole) throw new RecordingError('empty', 'the recording was cut off inside its header line: nothing was recorded');
    throw new RecordingError('not-a-recording', 'this is not a Loopwright recording (its first line is not a recording header)');
  }
  const header = checkHeader(headerValue);

  const lines: RecordingLine[] = [];
  for (let i = 1; i < rows.length; i++) {
    const isLast = i === rows.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(rows[i]);
    } catch {
      value = undefined;
    }
    if (plausibleLine(value, lines.length + 1)) {
      lines.push(value);
      continue;
    }
    if (isLast && !endsWhole) {
      warnings.push(tornLastLineWarning(i + 1));
      break;
    }
    throw new RecordingError('corrupt', `line ${i + 1} is corrupt${value === undefined ? ' (not JSON)' : ' (not a recording entry in sequence)'}: the recording was damaged after it was written`, i + 1);
  }
  return { header, lines, warnings };
}

/** Reads and parses a recording file (see {@link parseRecording}). */
export async function readRecording(file: string): Promise<OpenedRecording> {
  return parseRecording(await readFile(file, 'utf8'));
}
