import type { EngineEvent } from '../../../shared/engine/events';
import { categoryOf, summarize, type EventCategory, type NameLookup } from './event-summary';

const CHUNK = 4096;

/**
 * The engine events of a run, in arrival order, numbered from 0. The newest `capacity` are kept
 * (older ones drop out a chunk at a time); traffic events are kept without their bytes, which the
 * terminal holds, so the log's memory stays bounded however much traffic a run has.
 */
export class EventLog {
  private chunks: EngineEvent[][] = [];
  /** Sequence number of the first event kept. */
  private firstSeq = 0;
  private nextSeq = 0;
  /** Events the host dropped because the window could not keep up (from `dropped` notices). */
  droppedByHost = 0;
  /**
   * The callback, task or future behind an id (events that carry only the id show it), in two
   * generations: when the newer fills up it becomes the older and the oldest names go, all at once
   * (deleting from a Map's front one by one gets slower as it goes).
   */
  private newer = new Map<number, string>();
  private older = new Map<number, string>();
  readonly names: NameLookup = {
    get: (id: number) => this.newer.get(id) ?? this.older.get(id),
  };

  constructor(readonly capacity = 100_000) {}

  /** Sequence number of the oldest event kept. */
  get first(): number {
    return this.firstSeq;
  }

  /** One past the newest event's sequence number. */
  get end(): number {
    return this.nextSeq;
  }

  /** How many events are kept. */
  get size(): number {
    return this.nextSeq - this.firstSeq;
  }

  /** Events that were received but no longer kept. */
  get forgotten(): number {
    return this.firstSeq;
  }

  push(event: EngineEvent): void {
    switch (event.type) {
      case 'handle-scheduled':
      case 'timer-scheduled':
        this.name(event.id, `${event.callback}(${event.args})`);
        break;
      case 'task-created':
      case 'future-created':
        this.name(event.id, event.name);
        break;
    }
    const kept = event.type === 'transport-data' && event.data.length > 0 ? { ...event, data: '' } : event;
    let last = this.chunks[this.chunks.length - 1];
    if (!last || last.length === CHUNK) {
      last = [];
      this.chunks.push(last);
    }
    last.push(kept);
    this.nextSeq++;
    if (this.size > this.capacity + CHUNK) {
      const gone = this.chunks.shift()!;
      this.firstSeq += gone.length;
    }
  }

  private name(id: number, name: string): void {
    this.newer.set(id, name);
    if (this.newer.size >= this.capacity / 2) {
      this.older = this.newer;
      this.newer = new Map();
    }
  }

  /** The event with this sequence number, if it is kept. */
  get(seq: number): EngineEvent | undefined {
    if (seq < this.firstSeq || seq >= this.nextSeq) return undefined;
    const offset = seq - this.firstSeq;
    return this.chunks[Math.floor(offset / CHUNK)]?.[offset % CHUNK];
  }
}

/** What the event log shows: some categories, and text the summary must contain. */
export interface EventFilter {
  categories: ReadonlySet<EventCategory>;
  text: string;
}

/** Whether an event passes a filter. */
export function matchesFilter(event: EngineEvent, filter: EventFilter, names?: NameLookup): boolean {
  if (!filter.categories.has(categoryOf(event.type))) return false;
  if (filter.text === '') return true;
  const needle = filter.text.toLowerCase();
  return event.type.includes(needle) || summarize(event, names).toLowerCase().includes(needle);
}

/**
 * The sequence numbers of the log's events that pass a filter, found a slice at a time: a new
 * filter over 200,000 events is scanned across frames instead of in one long task.
 */
export class FilteredEvents {
  /** Matching sequence numbers, ascending. */
  readonly matches: number[] = [];
  private scanned: number;
  private readonly all: boolean;

  constructor(
    private readonly log: EventLog,
    private readonly filter: EventFilter,
  ) {
    this.scanned = log.first;
    this.all = filter.text === '' && filter.categories.size === 7;
  }

  /** Whether events remain to be scanned. */
  get pending(): boolean {
    return this.scanned < this.log.end;
  }

  /** Progress of the scan, 0 to 1. */
  get progress(): number {
    const total = this.log.end - this.log.first;
    return total === 0 ? 1 : Math.min(1, (this.scanned - this.log.first) / total);
  }

  /** How many match (or, without a filter, how many there are). */
  get count(): number {
    return this.all ? this.log.size : this.matches.length;
  }

  /** The sequence number of the index-th match. */
  seqAt(index: number): number {
    return this.all ? this.log.first + index : this.matches[index];
  }

  /** Scans on for at most `budgetMs`; returns whether anything changed. */
  step(budgetMs = 6): boolean {
    this.trim();
    if (this.all) {
      const changed = this.scanned !== this.log.end;
      this.scanned = this.log.end;
      return changed;
    }
    if (!this.pending) return false;
    const started = performance.now();
    const before = this.matches.length;
    let seq = Math.max(this.scanned, this.log.first);
    const end = this.log.end;
    while (seq < end) {
      const limit = Math.min(end, seq + 512);
      for (; seq < limit; seq++) {
        const event = this.log.get(seq);
        if (event && matchesFilter(event, this.filter, this.log.names)) this.matches.push(seq);
      }
      if (performance.now() - started > budgetMs) break;
    }
    this.scanned = seq;
    return this.matches.length !== before || !this.pending;
  }

  /** Drops matches the log no longer keeps. */
  private trim(): void {
    if (this.all || this.matches.length === 0 || this.matches[0] >= this.log.first) return;
    let lo = 0;
    let hi = this.matches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.matches[mid] < this.log.first) lo = mid + 1;
      else hi = mid;
    }
    this.matches.splice(0, lo);
  }
}
