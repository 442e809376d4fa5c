// A RecordingSink for tests that turns every call back into the events it stands for (handlesRan of
// three handles: six events; traffic as bytes: a transport-data event), so that what a recorder is given can be compared with a plain sink's.
import type { CallbackRecorder, RecordingSink } from '../../../shared/engine/callback-recorder';
import type { EngineEvent } from '../../../shared/engine/events';
import { encodeBytes } from '../../../shared/engine/base64';

/** Calls made to the recorder, by name (how the loop grouped its events). */
export type RecorderCalls = Record<keyof CallbackRecorder, number>;

/** A sink that pushes every event it is given to `events`, callbacks' events given as calls too. */
export function expandingSink(events: EngineEvent[]): RecordingSink & { calls: RecorderCalls; release(): void } {
  const calls: RecorderCalls = { handlesScheduled: 0, handleStarted: 0, handleFinished: 0, handlesRan: 0, hold: 0 };
  let held: (() => void)[] = [];
  const sink = ((e: EngineEvent) => void events.push(e)) as RecordingSink & { calls: RecorderCalls; release(): void };
  sink.callbacks = {
    handlesScheduled(time, first, count, callback, args) {
      calls.handlesScheduled++;
      for (let id = first; id < first + count; id++) events.push({ type: 'handle-scheduled', time, id, callback, args });
    },
    handleStarted(time, id) {
      calls.handleStarted++;
      events.push({ type: 'handle-started', time, id });
    },
    handleFinished(time, id) {
      calls.handleFinished++;
      events.push({ type: 'handle-finished', time, id });
    },
    handlesRan(time, first, count) {
      calls.handlesRan++;
      for (let id = first; id < first + count; id++) events.push({ type: 'handle-started', time, id }, { type: 'handle-finished', time, id });
    },
    hold(release) {
      calls.hold++;
      held.push(release);
    },
  };
  // Traffic as bytes, too: the transport-data event it stands for.
  sink.traffic = (time, transportId, kind, direction, bytes, fd, addr) =>
    void events.push({ type: 'transport-data', time, transportId, kind, direction, data: encodeBytes(bytes), size: bytes.length, fd, addr });
  sink.calls = calls;
  // What the loop holds, given now (as a batch does before it is taken).
  sink.release = () => {
    const all = held;
    held = [];
    all.forEach((r) => r());
  };
  return sink;
}
