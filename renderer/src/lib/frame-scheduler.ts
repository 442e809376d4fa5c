/** Runs a function at most once per animation frame, however often it is requested. */
export interface FrameScheduler {
  /** Asks for one run at the next frame (a no-op when one is already asked for). */
  request(): void;
  /** Forgets a pending request. */
  cancel(): void;
}

/**
 * Coalesces work to the next animation frame. A hidden window gets no frames, so a timer stands
 * in after `fallbackMs`: queued data is still applied (and its memory bounded) in the background.
 */
export function createFrameScheduler(run: () => void, fallbackMs = 250): FrameScheduler {
  let pending = false;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hasFrames = typeof requestAnimationFrame === 'function';

  function clear(): void {
    if (hasFrames && frame) cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
    frame = 0;
    timer = undefined;
  }

  function fire(): void {
    if (!pending) return;
    pending = false;
    clear();
    run();
  }

  return {
    request() {
      if (pending) return;
      pending = true;
      if (hasFrames) frame = requestAnimationFrame(fire);
      timer = setTimeout(fire, hasFrames ? fallbackMs : 16);
    },
    cancel() {
      pending = false;
      clear();
    },
  };
}
