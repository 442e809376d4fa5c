// Numbering a worker's event lines (shared/engine/event-lines.ts, EVENT_LINE_HEAD): the worker sends
// each event framed as its recording line with `seq` and `wall` left 0 in fixed-width fields, and
// the recorder writes the digits over them in place, so the block goes to the file as it came.
import {
  EVENT_LINE_HEAD,
  LINE_SEQ_AT,
  LINE_SEQ_WIDTH,
  LINE_WALL_AT,
  LINE_WALL_WIDTH,
  type EncodedEvents,
} from '../../../shared/engine/event-lines';
import { completeEncodedEvents } from '../runs/event-batch';
import { countUp, writeDigits } from '../runs/event-line-writer';

/** How a line written anew (past the fields' widths) begins. */
const SEQ = Buffer.from('{"seq":', 'latin1');

/**
 * The batch's lines numbered `firstSeq` on and stamped `wall`: the batch's own bytes, numbered in
 * place, or (past the widths of the fields, which no ordinary recording reaches) new lines.
 */
export function numberEventLines(batch: EncodedEvents, firstSeq: number, wall: number): Uint8Array {
  completeEncodedEvents(batch);
  const { bytes, ends, count } = batch;
  // One more than the last seq, since the counter is stepped past the last line too.
  if (firstSeq + count >= 10 ** LINE_SEQ_WIDTH || wall >= 10 ** LINE_WALL_WIDTH || wall < 0) return rewriteEventLines(batch, firstSeq, wall);
  const seq = Buffer.from(`${firstSeq}`.padStart(LINE_SEQ_WIDTH), 'latin1');
  const stamp = Buffer.from(`${wall}`.padStart(LINE_WALL_WIDTH), 'latin1');
  let start = 0;
  for (let i = 0; i < count; i++) {
    const s = start + LINE_SEQ_AT;
    for (let k = 0; k < LINE_SEQ_WIDTH; k++) bytes[s + k] = seq[k];
    const w = start + LINE_WALL_AT;
    for (let k = 0; k < LINE_WALL_WIDTH; k++) bytes[w + k] = stamp[k];
    // The next seq: decimal increment of the padded digits.
    countUp(seq, LINE_SEQ_WIDTH - 1);
    start = ends[i];
  }
  return bytes;
}

/** The batch's events in new lines with unpadded numbers (the lines `append` writes). */
function rewriteEventLines(batch: EncodedEvents, firstSeq: number, wall: number): Uint8Array {
  const { bytes, ends, count } = batch;
  const prefix = Buffer.from(`,"wall":${wall},"kind":"event","event":`, 'latin1');
  // Each line gets `{"seq":`, up to 16 digits and the prefix instead of its head.
  const out = Buffer.allocUnsafe(bytes.length + count * (SEQ.length + 16 + prefix.length));
  let at = 0;
  let start = 0;
  for (let i = 0; i < count; i++) {
    out.set(SEQ, at);
    at = writeDigits(out, at + SEQ.length, firstSeq + i);
    out.set(prefix, at);
    at += prefix.length;
    // The event and the line's `}\n`, as they came.
    const end = ends[i];
    out.set(bytes.subarray(start + EVENT_LINE_HEAD.length, end), at);
    at += end - start - EVENT_LINE_HEAD.length;
    start = end;
  }
  return out.subarray(0, at);
}
