/**
 * Write-side flow control, as asyncio's `_FlowControlMixin` (transports.py).
 *
 * A transport buffers what the peer cannot take yet. When the buffer grows above the high-water
 * mark the protocol's `pauseWriting()` is called once; when it drains to the low-water mark or
 * below, `resumeWriting()` is called once. Pause and resume always alternate, so a protocol can
 * keep a simple flag (streams' `drain()` asserts that).
 */
import { ValueError } from './value-error';

/** asyncio's default high-water mark for a transport's write buffer: 64 KiB. */
export const DEFAULT_WRITE_HIGH_WATER = 64 * 1024;

/** The two marks, in bytes. */
export interface WriteBufferLimits {
  readonly high: number;
  readonly low: number;
}

/**
 * Resolves the marks as asyncio's `_set_write_buffer_limits` does: high defaults to 64 KiB (or
 * four times low when only low is given), low defaults to high / 4, and `high >= low >= 0` is
 * required (a {@link ValueError}, as asyncio raises).
 */
export function resolveWriteBufferLimits(high?: number | null, low?: number | null): WriteBufferLimits {
  if (high === undefined || high === null) high = low === undefined || low === null ? DEFAULT_WRITE_HIGH_WATER : 4 * low;
  if (low === undefined || low === null) low = Math.floor(high / 4);
  if (!(high >= low && low >= 0)) throw new ValueError(`high (${high}) must be >= low (${low}) must be >= 0`);
  return { high, low };
}

/** The protocol side of flow control (the optional `pauseWriting` / `resumeWriting` pair). */
export interface WriteFlowTarget {
  pauseWriting?(): void;
  resumeWriting?(): void;
}

/**
 * The pause/resume state machine of one transport's write buffer. The transport reports its buffer
 * size after every change; this object decides when the protocol hears about it.
 */
export class WriteFlowControl {
  /** The high-water mark in bytes. */
  high = DEFAULT_WRITE_HIGH_WATER;
  /** The low-water mark in bytes. */
  low = DEFAULT_WRITE_HIGH_WATER / 4;
  /** Whether `pauseWriting()` was called and `resumeWriting()` not yet. */
  paused = false;

  /**
   * @param onError reports an exception thrown by the protocol's callback; asyncio hands it to the
   *   loop's exception handler (`'protocol.pause_writing() failed'`) rather than to the writer.
   */
  constructor(private readonly onError: (message: string, exc: unknown) => void) {}

  /** Sets the marks (see {@link resolveWriteBufferLimits}); the caller then re-checks the size. */
  setLimits(high?: number | null, low?: number | null): void {
    const limits = resolveWriteBufferLimits(high, low);
    this.high = limits.high;
    this.low = limits.low;
  }

  /** `[low, high]`, the order of asyncio's `get_write_buffer_limits()`. */
  getLimits(): [low: number, high: number] {
    return [this.low, this.high];
  }

  /**
   * Calls `pauseWriting()` when `size` is above the high mark and the protocol is not paused;
   * `onChange` runs between the two (where the transport reports the change, so an observer sees
   * the transport paused before the protocol's callback runs).
   */
  maybePause(size: number, protocol: WriteFlowTarget | undefined, onChange?: () => void): void {
    if (size <= this.high || this.paused) return;
    this.paused = true;
    onChange?.();
    try {
      protocol?.pauseWriting?.();
    } catch (exc) {
      this.onError('protocol.pauseWriting() failed', exc);
    }
  }

  /** Calls `resumeWriting()` when paused and `size` is at or below the low mark (`onChange` as in maybePause). */
  maybeResume(size: number, protocol: WriteFlowTarget | undefined, onChange?: () => void): void {
    if (!this.paused || size > this.low) return;
    this.paused = false;
    onChange?.();
    try {
      protocol?.resumeWriting?.();
    } catch (exc) {
      this.onError('protocol.resumeWriting() failed', exc);
    }
  }
}
