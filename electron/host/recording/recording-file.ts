// Opening a recording file for replay: one streaming pass reads it in large chunks, checks every
// line as recording-reader.ts does (a torn last line is dropped with a warning, anything else bad
// is corruption with its line number, a newer format is refused), feeds the replay timeline, and
// keeps each line's byte offset. After that, reading any range of lines is one positioned read,
// so a seek costs a keyframe copy and a short fold however long the recording is.
import { closeSync, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { RecordingHeader, RecordingLine } from '../../../shared/recording/format';
import { ReplayTimeline, type TimelineOptions } from '../../../shared/recording/replay-timeline';
import { NumberList } from '../../../shared/recording/number-list';
import type { LineReader } from '../../../shared/recording/replay-view';
import { checkHeader, plausibleLine, RecordingError, tornLastLineWarning } from './recording-reader';

const CHUNK = 8 * 1024 * 1024;
const NEWLINE = 10;

/** An opened recording: header, timeline and random access to its lines. */
export class RecordingFile implements LineReader {
  private constructor(
    readonly path: string,
    readonly header: RecordingHeader,
    readonly timeline: ReplayTimeline,
    readonly warnings: string[],
    /** Bytes of the file that were read (a file still being written may have grown since). */
    readonly sizeBytes: number,
    /** offsets[i] is where line seq i starts (offsets[0] is the header); one more marks the end. */
    private readonly offsets: Float64Array,
  ) {}

  /** Opens and indexes `path` (see the module comment); throws RecordingError for a bad file. */
  static async open(path: string, options: TimelineOptions = {}): Promise<RecordingFile> {
    const handle = await open(path, 'r');
    try {
      const size = (await handle.stat()).size;
      if (size === 0) throw new RecordingError('empty', 'the recording is empty');
      // Where each line starts, by seq (the header is entry 0).
      const offsets = new NumberList(1 << 16);
      let header: RecordingHeader | undefined;
      let timeline: ReplayTimeline | undefined;
      const warnings: string[] = [];
      let carry: Buffer | null = null;
      let carryStart = 0;
      let position = 0;
      let lineNo = 0; // 1-based line number in the file (the header is line 1)
      let end = 0; // where the last accepted line ends (after its newline)

      const accept = (text: string, start: number, stop: number, whole: boolean): boolean => {
        lineNo++;
        if (lineNo === 1) {
          if (text === '') throw new RecordingError('empty', 'the recording is empty');
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            if (!whole) throw new RecordingError('empty', 'the recording was cut off inside its header line: nothing was recorded');
            throw new RecordingError('not-a-recording', 'this is not a Loopwright recording (its first line is not a recording header)');
          }
          header = checkHeader(value);
          timeline = new ReplayTimeline(header.clock, options);
          offsets.push(start);
          end = stop;
          return true;
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          value = undefined;
        }
        if (plausibleLine(value, lineNo - 1)) {
          offsets.push(start);
          timeline!.add(value);
          end = stop;
          return true;
        }
        if (!whole) {
          warnings.push(tornLastLineWarning(lineNo));
          return false;
        }
        throw new RecordingError('corrupt', `line ${lineNo} is corrupt${value === undefined ? ' (not JSON)' : ' (not a recording entry in sequence)'}: the recording was damaged after it was written`, lineNo);
      };

      const buffer = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
        if (bytesRead === 0) break;
        let chunk = buffer.subarray(0, bytesRead);
        let chunkStart = position;
        if (carry !== null) {
          chunk = Buffer.concat([carry, chunk]);
          chunkStart = carryStart;
          carry = null;
        }
        position += bytesRead;
        let from = 0;
        for (;;) {
          const nl = chunk.indexOf(NEWLINE, from);
          if (nl < 0) break;
          accept(chunk.toString('utf8', from, nl), chunkStart + from, chunkStart + nl + 1, true);
          from = nl + 1;
        }
        if (from < chunk.length) {
          // Copy: the read buffer is reused for the next chunk.
          carry = Buffer.from(chunk.subarray(from));
          carryStart = chunkStart + from;
        }
      }
      if (carry !== null && carry.length > 0) accept(carry.toString('utf8'), carryStart, carryStart + carry.length, false);
      if (header === undefined || timeline === undefined) throw new RecordingError('empty', 'the recording is empty');
      offsets.push(end);
      return new RecordingFile(path, header, timeline, warnings, size, offsets.toArray());
    } finally {
      await handle.close();
    }
  }

  /** Lines recorded (the header not counted). */
  get lineCount(): number {
    return this.timeline.counts.lines;
  }

  /** Lines from..to inclusive (clamped to the recording). */
  range(from: number, to: number): RecordingLine[] {
    const first = Math.max(1, from);
    const last = Math.min(this.lineCount, to);
    if (last < first) return [];
    const start = this.offsets[first];
    const stop = this.offsets[last + 1];
    const bytes = this.readBytes(start, stop - start);
    const lines: RecordingLine[] = [];
    let at = 0;
    for (let seq = first; seq <= last; seq++) {
      const next = this.offsets[seq + 1] - start;
      // The last line may lack its newline only when it is the file's complete last line.
      const lineEnd = bytes[next - 1] === NEWLINE ? next - 1 : next;
      lines.push(JSON.parse(bytes.toString('utf8', at, lineEnd)) as RecordingLine);
      at = next;
    }
    return lines;
  }

  /** The given lines (ascending seqs), read in as few reads as their spread allows. */
  pick(seqs: readonly number[]): RecordingLine[] {
    const out: RecordingLine[] = [];
    let i = 0;
    while (i < seqs.length) {
      // Group lines that are close together into one read.
      let j = i;
      while (j + 1 < seqs.length && seqs[j + 1] - seqs[j] <= 16) j++;
      const range = this.range(seqs[i], seqs[j]);
      const wanted = new Set(seqs.slice(i, j + 1));
      for (const line of range) if (wanted.has(line.seq)) out.push(line);
      i = j + 1;
    }
    return out;
  }

  /** The byte offset where line `seq` starts (the end of the file's lines for lineCount + 1). */
  offsetOf(seq: number): number {
    return this.offsets[Math.max(0, Math.min(seq, this.lineCount + 1))];
  }

  private readBytes(position: number, length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    const fd = openSync(this.path, 'r');
    try {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buffer, done, length - done, position + done);
        if (n === 0) throw new RecordingError('corrupt', 'the recording changed on disk while it was open: reopen it');
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return buffer;
  }
}

/** Size and modification time, to tell whether a cached opening is still current. */
export async function fileStamp(path: string): Promise<string> {
  const s = await stat(path);
  return `${s.size}:${s.mtimeMs}`;
}
