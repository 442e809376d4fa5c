import { describe, expect, it } from 'vitest';
import { encodeBytes } from '../../../shared/engine/base64';
import { TrafficLog } from './traffic';
import { planDraw, startOf, type DrawCursor, type DrawLimits } from './traffic-draw';

/** A data record whose text ends with its name (`#12`), padded to `size` bytes in lines of 50. */
function add(log: TrafficLog, n: number, size = 100): void {
  const name = `#${n}\n`;
  const text = `${'.'.repeat(49)}\n`.repeat(size).slice(0, size - name.length) + name;
  log.add({ kind: 'data', time: n, direction: 'in', data: encodeBytes(new TextEncoder().encode(text)), size });
}

/** The record numbers a draw shows, in order, and its notices. */
function shown(pieces: string[]): { records: number[]; notices: string[] } {
  const text = pieces.join('');
  return {
    records: [...text.matchAll(/#(\d+)/g)].map((m) => Number(m[1])),
    notices: text.split('\r\n').filter((line) => line.includes('…')),
  };
}

const LIMITS: DrawLimits = { budget: 1000, keep: 3000, piece: 400 };

describe('planDraw', () => {
  it('draws a budget at a time, in order, and goes on where it stopped', () => {
    const log = new TrafficLog();
    for (let i = 0; i < 25; i++) add(log, i);
    const first = planDraw(log, startOf(log), 'text', LIMITS);
    expect(shown(first.pieces)).toEqual({ records: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], notices: [] });
    expect(first).toMatchObject({ drawn: 1000, skipped: 0, full: true, cursor: { seq: 10, offset: 1000 } });
    const second = planDraw(log, first.cursor, 'text', LIMITS);
    expect(shown(second.pieces).records).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const third = planDraw(log, second.cursor, 'text', LIMITS);
    expect(shown(third.pieces).records).toEqual([20, 21, 22, 23, 24]);
    expect(third.full).toBe(false);
    expect(planDraw(log, third.cursor, 'text', LIMITS).pieces).toEqual([]);
  });

  it('hands the text over in pieces of about the piece size, never splitting a record', () => {
    const log = new TrafficLog();
    for (let i = 0; i < 10; i++) add(log, i);
    const { pieces } = planDraw(log, startOf(log), 'text', LIMITS);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(LIMITS.piece);
    for (const piece of pieces) expect(piece.endsWith('\r\n')).toBe(true);
  });

  it('skips ahead to the newest bytes when far behind, and says exactly how much it skipped', () => {
    const log = new TrafficLog();
    for (let i = 0; i < 100; i++) add(log, i);
    log.add({ kind: 'note', time: 100, text: 'EOF received' });
    const draw = planDraw(log, startOf(log), 'text', LIMITS);
    const { records, notices } = shown(draw.pieces);
    // The newest 3000 bytes are records 70–99; the budget draws the first 1000 of them.
    expect(records).toEqual([70, 71, 72, 73, 74, 75, 76, 77, 78, 79]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('6.8 KB in 70 chunks not shown');
    expect(draw.skipped).toBe(7000);
    expect(draw.pieces[0]).toContain('not shown');
    // The rest follows, the note last, as it came.
    let text = '';
    for (let next = planDraw(log, draw.cursor, 'text', LIMITS); next.pieces.length > 0; next = planDraw(log, next.cursor, 'text', LIMITS)) text += next.pieces.join('');
    expect(shown([text]).records).toEqual(Array.from({ length: 20 }, (_, i) => 80 + i));
    expect(text.trimEnd().endsWith('EOF received\x1b[0m')).toBe(true);
  });

  it('says how much the log forgot before a slow reader got to it', () => {
    const log = new TrafficLog(2000);
    add(log, 0);
    const cursor = startOf(log);
    for (let i = 1; i < 50; i++) add(log, i);
    expect(log.first).toBeGreaterThan(0);
    const draw = planDraw(log, cursor, 'text', { ...LIMITS, keep: 100_000 });
    const { records, notices } = shown(draw.pieces);
    expect(notices[0]).toContain(`in ${log.first} records not shown: gone from the kept traffic`);
    expect(records[0]).toBe(log.first);
    expect(draw.skipped).toBe(log.first * 100);
  });

  it('shows traffic counted without its bytes as one notice per run of it, in its place', () => {
    const log = new TrafficLog();
    add(log, 0);
    for (let i = 0; i < 3; i++) log.add({ kind: 'data', time: 1, direction: 'in', data: '', size: 500, uncaptured: true });
    add(log, 1);
    const draw = planDraw(log, startOf(log), 'text', { ...LIMITS, budget: 10_000 });
    const text = draw.pieces.join('');
    const notice = text.indexOf('1.5 KB in 3 chunks counted only: their bytes did not come to this window');
    expect(text.indexOf('#0')).toBeLessThan(notice);
    expect(text.indexOf('#1')).toBeGreaterThan(notice);
    expect(draw).toMatchObject({ drawn: 200, skipped: 1500, cursor: { seq: 5, offset: 1700 } });
  });

  it('goes on with the last line when a draw only adds more traffic counted without its bytes', () => {
    const log = new TrafficLog();
    const countOnly = () => log.add({ kind: 'data', time: 1, direction: 'in', data: '', size: 1024, uncaptured: true });
    add(log, 0);
    countOnly();
    const first = planDraw(log, startOf(log), 'text', LIMITS);
    expect(first.cursor.open).toEqual({ bytes: 1024, chunks: 1, rows: 2 });
    countOnly();
    countOnly();
    const second = planDraw(log, first.cursor, 'text', LIMITS);
    // The notice (two rows of an 80-column terminal) is written again in place with the new total.
    expect(second.pieces.join('').startsWith('\x1b[2A\r\x1b[0J')).toBe(true);
    expect(second.pieces.join('')).toContain('3.0 KB in 3 chunks counted only');
    expect(second).toMatchObject({ skipped: 2048, cursor: { open: { bytes: 3072, chunks: 3 } } });
    // Nothing new: the line stays open; new bytes to show: a new line, and it is closed.
    expect(planDraw(log, second.cursor, 'text', LIMITS).cursor.open).toMatchObject({ bytes: 3072, chunks: 3 });
    add(log, 1);
    countOnly();
    const third = planDraw(log, second.cursor, 'text', LIMITS);
    expect(third.pieces.join('')).not.toContain('\x1b[2A');
    expect(third.pieces.join('')).toContain('1.0 KB in 1 chunks counted only');
  });

  it('in a flood that came mostly counted only, skips ahead by what there is to draw and still draws it', () => {
    const log = new TrafficLog();
    for (let i = 0; i < 40; i++) {
      add(log, i, 1000);
      for (let j = 0; j < 20; j++) log.add({ kind: 'data', time: i, direction: 'in', data: '', size: 1000, uncaptured: true });
    }
    const draw = planDraw(log, startOf(log), 'text', LIMITS);
    const { records, notices } = shown(draw.pieces);
    // The newest 3000 drawable bytes are records 37–39 (the ones between count for nothing); the
    // budget draws the first.
    expect(records).toEqual([37]);
    expect(notices[0]).toContain('758.8 KB in 777 chunks not shown: skipped ahead to keep up (722.7 KB of it came counted only)');
    const next = shown(planDraw(log, draw.cursor, 'text', LIMITS).pieces);
    expect(next.notices[0]).toContain('19.5 KB in 20 chunks counted only');
    expect(next.records).toEqual([38]);
  });

  it('shows the last part of a chunk bigger than the budget, and says how much of it is not shown', () => {
    const log = new TrafficLog();
    add(log, 0, 5000);
    add(log, 1, 100);
    const draw = planDraw(log, startOf(log), 'text', LIMITS);
    const text = draw.pieces.join('');
    expect(text).toContain('… the first 4.0 KB of these 4.9 KB not shown');
    // The chunk's last 950 bytes (from a line's start) and the small one after it fill the budget.
    expect(shown(draw.pieces).records).toEqual([0, 1]);
    expect(draw).toMatchObject({ drawn: 1050, skipped: 4050, full: false });
  });

  it('accounts for every byte: drawn plus skipped is everything added, and what is drawn stays in order', () => {
    const log = new TrafficLog(20_000);
    let cursor: DrawCursor = startOf(log);
    let total = 0;
    let drawn = 0;
    let skipped = 0;
    const seen: number[] = [];
    let n = 0;
    // A run that sends in bursts of varied sizes, and a reader that draws once per burst.
    for (let round = 0; round < 200; round++) {
      const burst = (round * 7919) % 37;
      for (let i = 0; i < burst; i++) {
        const size = 20 + ((n * 104_729) % 900);
        if (n % 11 === 5) log.add({ kind: 'data', time: n++, direction: 'out', data: '', size, uncaptured: true });
        else add(log, n++, size);
        total += size;
      }
      const draw = planDraw(log, cursor, 'text', LIMITS);
      cursor = draw.cursor;
      drawn += draw.drawn;
      skipped += draw.skipped;
      seen.push(...shown(draw.pieces).records);
    }
    for (;;) {
      const draw = planDraw(log, cursor, 'text', LIMITS);
      if (draw.pieces.length === 0) break;
      cursor = draw.cursor;
      drawn += draw.drawn;
      skipped += draw.skipped;
      seen.push(...shown(draw.pieces).records);
    }
    expect(drawn + skipped).toBe(total);
    expect(skipped).toBeGreaterThan(0);
    expect(seen.every((r, i) => i === 0 || r > seen[i - 1])).toBe(true);
    expect(seen[seen.length - 1]).toBe(n - 1);
  });
});
