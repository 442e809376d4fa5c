import type { SourceLocationInfo } from '../../../shared/runs/run';

/** What a line of the Output panel is. */
export type OutputKind = 'stdout' | 'stderr' | 'error' | 'trace' | 'notice' | 'warning' | 'source';

/** One line of a run's output. `location` makes it a link to the scenario's source. */
export interface OutputLine {
  seq: number;
  kind: OutputKind;
  text: string;
  location?: SourceLocationInfo;
}

/**
 * A run's console output and errors as lines, stdout and stderr apart but in the order written.
 * A chunk without a final newline leaves its line open for the next chunk of the same stream. The
 * newest `capacity` lines are kept.
 */
export class OutputLog {
  private lines: OutputLine[] = [];
  private firstSeq = 0;
  private nextSeq = 0;
  /** The stream whose last line is still open (no newline yet). */
  private open: 'stdout' | 'stderr' | null = null;
  /** Output chunks the host dropped because the window could not keep up. */
  dropped = 0;

  constructor(readonly capacity = 20_000) {}

  get first(): number {
    return this.firstSeq;
  }

  get size(): number {
    return this.lines.length;
  }

  /** Lines that were written but are no longer kept. */
  get forgotten(): number {
    return this.firstSeq;
  }

  /** The line at an index of the kept lines. */
  at(index: number): OutputLine | undefined {
    return this.lines[index];
  }

  /** All kept lines' text of some kinds, joined (for tests and copying). */
  text(kinds: readonly OutputKind[] = ['stdout', 'stderr']): string {
    return this.lines
      .filter((l) => kinds.includes(l.kind))
      .map((l) => l.text)
      .join('\n');
  }

  /** Appends console output. */
  write(stream: 'stdout' | 'stderr', text: string): void {
    if (text === '') return;
    const parts = text.split('\n');
    let start = 0;
    if (this.open === stream && this.lines.length > 0) {
      const last = this.lines[this.lines.length - 1];
      this.lines[this.lines.length - 1] = { ...last, text: last.text + parts[0] };
      start = 1;
    } else if (this.open !== null) {
      this.open = null;
    }
    const endsOpen = parts[parts.length - 1] !== '';
    const end = endsOpen ? parts.length : parts.length - 1;
    for (let i = start; i < end; i++) this.push({ kind: stream, text: parts[i].replace(/\r$/, '') });
    if (start === 1 && parts.length === 1) return; // the open line only grew
    this.open = endsOpen ? stream : null;
  }

  /** Appends a line of the workbench's own (run started, drops, errors). */
  line(kind: OutputKind, text: string, location?: SourceLocationInfo): void {
    this.open = null;
    this.push(location ? { kind, text, location } : { kind, text });
  }

  /** The seq of the last line, or -1 when there is none. */
  get lastSeq(): number {
    return this.lines.length === 0 ? -1 : this.lines[this.lines.length - 1].seq;
  }

  /** Rewrites the text of line `seq` (a notice that counts on); false when it is no longer kept. */
  rewrite(seq: number, text: string): boolean {
    const index = seq - this.firstSeq;
    if (index < 0 || index >= this.lines.length) return false;
    this.lines[index] = { ...this.lines[index], text };
    return true;
  }

  private push(line: Omit<OutputLine, 'seq'>): void {
    this.lines.push({ seq: this.nextSeq++, ...line });
    if (this.lines.length > this.capacity + 1000) {
      const drop = this.lines.length - this.capacity;
      this.lines.splice(0, drop);
      this.firstSeq += drop;
    }
  }
}
