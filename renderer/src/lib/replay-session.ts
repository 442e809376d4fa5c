// Replay mode shows a recording through the same panels as a live run: the state at one line
// becomes a RunSession (fed through its public enqueue/flush API), which the run store shows in
// place of the followed run. Nothing here runs the scenario's code.
import type { EngineEvent } from '../../../shared/engine/events';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import type { RecordingDetails, ReplayView } from '../../../shared/recording/recordings';
import type { ScenarioRef } from '../../../shared/scenarios/scenario';
import { formatCount } from './format';
import { RunSession } from './run-session';

/** The run id replayed sessions carry in their events (they have no run on the host). */
const REPLAY_RUN = 'replay';

/** The scenario a recording's header names, as a ref the panels can print (never opened from here). */
export function recordedScenario(path: string): ScenarioRef {
  const [head, ...rest] = path.split('/');
  if ((head === 'library' || head === 'workspace') && rest.length > 0) return { location: head, path: rest.join('/') };
  return { location: 'workspace', path };
}

/**
 * The panels' session for line `view.seq` of a recording. `previous` is the snapshot shown before,
 * so that the inspector marks what the move changed, as it does after a step of a live run.
 */
export function sessionFromView(details: RecordingDetails, view: ReplayView, previous: LoopSnapshot | null): RunSession {
  const path = details.header.scenario.path;
  const name = path.split('/').pop() ?? path;
  const session = new RunSession(recordedScenario(path), name, details.header.clock, { startedAt: Date.parse(details.header.startedAt) });

  const events: EngineEvent[] = [];
  const open = new Set((view.snapshot.transports ?? []).map((t) => t.id));
  for (const source of details.transports) {
    if (source.openedSeq > view.seq) continue;
    events.push({
      type: 'transport-opened',
      time: details.loopTime.start,
      transportId: source.transportId,
      kind: source.kind as Extract<EngineEvent, { type: 'transport-opened' }>['kind'],
      peer: source.peer,
      local: source.local,
      ...(source.pid !== undefined ? { pid: source.pid } : {}),
      ...(source.program !== undefined ? { program: source.program } : {}),
      ...(source.fd !== undefined ? { fd: source.fd } : {}),
      ...(source.parentId !== undefined ? { parentId: source.parentId } : {}),
      ...(source.serverId !== undefined ? { serverId: source.serverId } : {}),
    });
  }
  const kindOf = new Map(details.transports.map((t) => [t.transportId, t.kind]));
  const chunks = view.traffic.flatMap((t) => t.chunks.map((c) => ({ transportId: t.transportId, ...c }))).sort((a, b) => a.seq - b.seq);
  for (const c of chunks) {
    events.push({
      type: 'transport-data',
      time: c.time,
      transportId: c.transportId,
      kind: (kindOf.get(c.transportId) ?? 'tcp') as Extract<EngineEvent, { type: 'transport-data' }>['kind'],
      direction: c.direction,
      data: c.data,
      size: c.size,
      ...(c.fd !== undefined ? { fd: c.fd } : {}),
      ...(c.addr !== undefined ? { addr: c.addr } : {}),
    });
  }
  // Transports the loop no longer holds at this line were closed by then.
  for (const source of details.transports) {
    if (source.openedSeq <= view.seq && source.kind !== 'pipe' && !open.has(source.transportId)) {
      events.push({ type: 'transport-lost', time: view.snapshot.time, transportId: source.transportId, error: null });
    }
  }
  for (const f of view.futures) events.push({ type: 'future-created', time: f.created, id: f.id, name: f.name });
  session.enqueueEvents(events);

  if (view.output.omitted > 0) session.output.line('notice', `… ${formatCount(view.output.omitted)} earlier output lines are not shown here.`);
  session.enqueueOutput({ runId: REPLAY_RUN, chunks: view.output.chunks.map((c) => ({ stream: c.stream, text: c.text })) });
  for (const e of view.errors.items) {
    session.enqueueError({ runId: REPLAY_RUN, fatal: e.fatal, name: e.name, message: e.message, stack: e.stack ?? '', ...(e.line !== undefined ? { location: { file: path, line: e.line, column: e.column ?? 1 } } : {}) });
  }
  if (previous) {
    session.enqueueSnapshot(previous);
    session.flush(Infinity);
  }
  // No run state is fed in: an ended state would print a wall-time duration measured from now. The
  // replay bar and the inspector's banner say where the recording is instead.
  session.enqueueSnapshot(view.snapshot);
  session.flush(Infinity);
  for (const tab of session.traffic.tabs) {
    tab.writable = false;
    tab.readOnlyReason = 'This is a recording: what was typed then is shown, nothing can be sent now.';
  }
  for (const t of view.traffic) {
    const log = session.traffic.log(`t${t.transportId}`);
    if (log && t.omittedBytes > 0) log.forgottenBytes += t.omittedBytes;
  }
  return session;
}
