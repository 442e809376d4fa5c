import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { engineEventSchema, type EngineEvent } from '../../../shared/engine/events';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import { loopSnapshotSchema } from '../../../shared/engine/snapshot';
import type { RunListener, RunState } from '../runs/run-manager';
import type { OutputChunk } from '../runs/worker-protocol';
import { PythonUnavailableError } from './interpreter';
import { readPythonMeta } from './python-meta';
import { defaultShimDir, PythonRun, shimEnvironment, type PythonDetail, type PythonRunOptions } from './python-run';
import { describePython, uvloopPython } from './testing/python-available';

const LIBRARY = path.resolve(__dirname, '../../../scenarios/examples');
const SHIM = defaultShimDir();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-py-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

interface Collected {
  events: EngineEvent[];
  output: OutputChunk[];
  snapshots: LoopSnapshot[];
  states: { state: RunState; detail: Parameters<NonNullable<RunListener['state']>>[1] }[];
  errors: { message: string; fatal: boolean }[];
}

function collector(): { c: Collected; listener: RunListener } {
  const c: Collected = { events: [], output: [], snapshots: [], states: [], errors: [] };
  return {
    c,
    listener: {
      events: (e) => c.events.push(...e),
      output: (chunks) => c.output.push(...chunks),
      snapshot: (s) => c.snapshots.push(s),
      state: (state, detail) => c.states.push({ state, detail }),
      error: (e, fatal) => c.errors.push({ message: `${e.name}: ${e.message}`, fatal }),
    },
  };
}

async function runPython(options: PythonRunOptions) {
  const { c, listener } = collector();
  const run = await PythonRun.start({ shimDir: SHIM, ...options }, listener);
  const result = await run.done;
  const stdout = c.output.filter((o) => o.stream === 'stdout').map((o) => o.text).join('');
  const stderr = c.output.filter((o) => o.stream === 'stderr').map((o) => o.text).join('');
  return { run, result, c, stdout, stderr, types: new Set(c.events.map((e) => e.type)) };
}

/** Runs a program with plain Python, or under the shim (records drained and returned), collecting raw bytes. */
function rawRun(file: string, shim: false | PythonDetail, python = 'python3', recordsTo?: number): Promise<{ stdout: Buffer; stderr: Buffer; code: number | null; records: string }> {
  // Both runs under the same buffering, whatever this test process was started with.
  const base = { ...process.env };
  delete base.PYTHONUNBUFFERED;
  const env = shim ? shimEnvironment(base, SHIM, { detail: shim }) : base;
  delete env.PYTHONUNBUFFERED;
  return new Promise((resolve, reject) => {
    const child = spawn(python, [file], { cwd: path.dirname(file), env, stdio: shim ? ['ignore', 'pipe', 'pipe', recordsTo ?? 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const rec: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    (child.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (b: Buffer) => rec.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), code, records: Buffer.concat(rec).toString() }));
  });
}

const BYTES_PROGRAM = String.raw`
import asyncio, os, sys, gc

def hello(loop, n):
    print('hello', n, type(loop).__name__)
    sys.stderr.write('to stderr %d\n' % n)

def boom():
    raise ValueError('boom in a callback')

async def fails():
    raise KeyError('never retrieved')

async def main():
    loop = asyncio.get_running_loop()
    h = loop.call_soon(hello, loop, 1)
    t = loop.call_later(0.01, hello, loop, 2)
    print(repr(h).split(' at ')[0], type(h).__name__, type(h).__module__, type(t).__qualname__)
    print(type(loop._ready).__name__, asyncio.Handle is asyncio.events.Handle, isinstance(h, asyncio.Handle))
    loop.call_soon(boom)
    task = asyncio.ensure_future(fails())
    await asyncio.sleep(0.05)
    del task
    gc.collect()
    print(asyncio.sleep.__qualname__, loop.call_soon.__qualname__, loop.create_task.__qualname__, loop.run_forever.__doc__ == asyncio.BaseEventLoop.run_forever.__doc__)

print(sys.path, 'PYTHONPATH' in os.environ, len(sys.meta_path))
print(sorted(k for k in os.environ if k.startswith('LOOPWRIGHT')), os.environ.get('PYTHONUNBUFFERED'))
fd = os.open(os.devnull, os.O_RDONLY); print('first free fd', fd); os.close(fd)
sys.stdout.flush()
sys.stdout.buffer.write(b'\xff\xfe not utf-8 \x80\n')
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
loop.run_until_complete(main())
loop.close()
sys.exit(3)
`;

describePython(
  'Python programs under the instrumentation (python/loopwright_shim)',
  () => {
  it('leaves stdout and stderr byte-identical and keeps the exit code, at every detail level', async () => {
    const file = program('bytes.py', BYTES_PROGRAM);
    const plain = await rawRun(file, false);
    expect(plain.code).toBe(3);
    expect(plain.stdout.toString('latin1')).toContain('hello 1 _UnixSelectorEventLoop');
    expect(plain.stderr.toString()).toContain('ValueError: boom in a callback');
    expect(plain.stderr.toString()).toContain('Task exception was never retrieved');
    for (const detail of ['full', 'callbacks', 'tasks'] as const) {
      const shimmed = await rawRun(file, detail);
      expect(shimmed.records, detail).toContain(`"detail":"${detail}"`);
      expect(shimmed.code, detail).toBe(3);
      expect(shimmed.stdout.equals(plain.stdout), `${detail} stdout:\n${shimmed.stdout}\n---\n${plain.stdout}`).toBe(true);
      expect(shimmed.stderr.toString().replace(/0x[0-9a-f]+/g, '0x…'), detail).toBe(plain.stderr.toString().replace(/0x[0-9a-f]+/g, '0x…'));
    }
    // Records into a descriptor that is not a socket (a file): the same bytes, no descriptor left behind.
    const fd = openSync(path.join(dir, 'records.txt'), 'w');
    const toFile = await rawRun(file, 'full', 'python3', fd);
    closeSync(fd);
    expect(toFile.stdout.equals(plain.stdout), toFile.stdout.toString()).toBe(true);
    expect(readFileSync(path.join(dir, 'records.txt'), 'utf8')).toContain('"detail":"full"');
  });

  it('runs every Python example of the library with its expected output, and the run finishes', async () => {
    const files = readdirSync(LIBRARY).filter((f) => f.endsWith('.py'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const file = path.join(LIBRARY, f);
      const meta = readPythonMeta(readFileSync(file, 'utf8'));
      const r = await runPython({ file });
      expect(r.result, f).toMatchObject({ state: 'finished', exitCode: 0 });
      expect(r.stdout, f).toBe(meta.ok ? meta.meta?.expectedOutput : undefined);
      for (const e of r.c.events) expect(engineEventSchema.safeParse(e).success, `${f}: ${JSON.stringify(e)}`).toBe(true);
    }
  });

  it('sees callbacks, timers and iterations (hello-world.py, future.py): handle and timer hooks, the ready queue and select', async () => {
    const hello = await runPython({ file: path.join(LIBRARY, 'hello-world.py') });
    const scheduled = hello.c.events.find((e) => e.type === 'handle-scheduled' && e.callback === 'hello_world');
    expect(scheduled).toMatchObject({ args: '<_UnixSelectorEventLoop>' });
    const id = (scheduled as { id: number }).id;
    const order = hello.c.events.filter((e) => 'id' in e && e.id === id).map((e) => e.type);
    expect(order).toEqual(['handle-scheduled', 'handle-started', 'handle-finished']);
    expect(hello.c.events.filter((e) => e.type === 'loop-state').map((e) => (e as { state: string }).state)).toEqual(['running', 'stopped', 'closed']);
    expect(hello.types).toContain('iteration-start');
    expect(hello.types).toContain('iteration-end');

    const future = await runPython({ file: path.join(LIBRARY, 'future.py') });
    const timer = future.c.events.find((e) => e.type === 'timer-scheduled');
    expect(timer).toMatchObject({ callback: '_set_result_unless_cancelled', args: expect.stringContaining('sleep(2)') });
    const t = timer as { id: number; when: number; time: number };
    expect(t.when - t.time).toBeGreaterThan(1.9);
    const due = future.c.events.find((e) => e.type === 'timer-due' && e.id === t.id);
    expect(due).toBeDefined();
    expect(due!.time).toBeGreaterThanOrEqual(t.when - 0.01);
    // The loop blocked in select for the two seconds: an io-wait of about that long.
    const waits = future.c.events.filter((e) => e.type === 'io-wait') as { waited: number }[];
    expect(Math.max(...waits.map((w) => w.waited))).toBeGreaterThan(1.5);
  });

  it('sees tasks (ten-tasks.py): created, each step as a handle of its task, what it awaits, done', async () => {
    const r = await runPython({ file: path.join(LIBRARY, 'ten-tasks.py') });
    const created = r.c.events.filter((e) => e.type === 'task-created') as { id: number; name: string; coro: string }[];
    expect(created.map((t) => t.name)).toEqual(['Task-1', ...Array.from({ length: 10 }, (_, i) => `Task-${i + 2}`)]);
    expect(created[0].coro).toBe('Generator_task()');
    expect(created[1].coro).toBe('Task_ex()');
    const main = created[0].id;
    expect(r.c.events).toContainEqual(expect.objectContaining({ type: 'task-awaiting', id: main, awaiting: 'sleep(2)' }));
    expect(r.c.events.filter((e) => e.type === 'task-done')).toHaveLength(11);
    // A step happens inside a handle whose callback is the task's __step.
    const stepAt = r.c.events.findIndex((e) => e.type === 'task-step' && e.id === created[1].id);
    expect(r.c.events[stepAt - 1]).toMatchObject({ type: 'handle-started' });
    const handle = r.c.events.find((e) => e.type === 'handle-scheduled' && e.id === (r.c.events[stepAt - 1] as { id: number }).id);
    expect(handle).toMatchObject({ callback: 'Task.__step', args: 'Task-2' });
  });

  it('sees transports and protocols (tcp-echo-protocol.py): open, bytes both ways, EOF, close, server', async () => {
    const r = await runPython({ file: path.join(LIBRARY, 'tcp-echo-protocol.py') });
    const opened = r.c.events.filter((e) => e.type === 'transport-opened') as { transportId: number; kind: string; serverId?: number }[];
    expect(opened).toHaveLength(2);
    expect(opened.every((o) => o.kind === 'tcp')).toBe(true);
    expect(opened.filter((o) => o.serverId !== undefined)).toHaveLength(1);
    const data = r.c.events.filter((e) => e.type === 'transport-data') as { direction: string; data: string }[];
    expect(data.map((d) => `${d.direction}:${Buffer.from(d.data, 'base64')}`).sort()).toEqual(['in:Hello World!', 'in:Hello World!', 'out:Hello World!', 'out:Hello World!']);
    for (const type of ['transport-eof', 'transport-closing', 'transport-lost', 'server-listening', 'server-closed'] as const) expect(r.types, type).toContain(type);
    // Protocol callbacks are wrapped on the instance: get_protocol() is still the user's object.
    const check = await runPython({
      file: program(
        'protocol-identity.py',
        `import asyncio
class P(asyncio.Protocol):
    def connection_made(self, t): self.t = t
    def data_received(self, d): print('got', d, self.t.get_protocol() is self, type(self.t.get_protocol()).__name__)
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(P, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection('127.0.0.1', port)
    w.write(b'x'); await w.drain(); await asyncio.sleep(0.05)
    w.close(); server.close()
asyncio.run(main())
`,
      ),
    });
    expect(check.stdout).toBe("got b'x' True P\n");
  });

  it('sees subprocess pipes and the exception handler', async () => {
    const r = await runPython({
      file: program(
        'with-subprocess.py',
        `import asyncio, sys
def broken():
    raise RuntimeError('in a callback')
async def main():
    asyncio.get_running_loop().call_soon(broken)
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', 'import sys; print(sys.stdin.readline().upper(), end="")',
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate(b'ping\\n')
    print(out.decode().strip(), proc.returncode)
asyncio.run(main())
`,
      ),
    });
    expect(r.stdout).toBe('PING 0\n');
    expect(r.stderr).toContain('RuntimeError: in a callback');
    const sub = r.c.events.find((e) => e.type === 'transport-opened' && e.kind === 'subprocess') as { transportId: number; pid: number };
    expect(sub.pid).toBeGreaterThan(0);
    expect(r.c.events).toContainEqual(expect.objectContaining({ type: 'transport-data', transportId: sub.transportId, direction: 'out', fd: 0, data: Buffer.from('ping\n').toString('base64') }));
    expect(r.c.events).toContainEqual(expect.objectContaining({ type: 'transport-data', transportId: sub.transportId, direction: 'in', fd: 1, data: Buffer.from('PING\n').toString('base64') }));
    expect(r.c.events).toContainEqual(expect.objectContaining({ type: 'process-exited', transportId: sub.transportId, returncode: 0 }));
    expect(r.c.events.filter((e) => e.type === 'transport-opened' && e.kind === 'pipe' && e.parentId === sub.transportId).length).toBeGreaterThanOrEqual(2);
    expect(r.c.events).toContainEqual(expect.objectContaining({ type: 'exception', message: expect.stringContaining('Exception in callback broken()'), exception: 'RuntimeError: in a callback' }));
  });

  it('records less at lower detail levels: callbacks has no payloads, tasks has no handles', async () => {
    const echo = path.join(LIBRARY, 'tcp-echo-protocol.py');
    const callbacks = await runPython({ file: echo, detail: 'callbacks' });
    expect(callbacks.types).not.toContain('transport-data');
    expect(callbacks.c.events).toContainEqual(expect.objectContaining({ type: 'transport-traffic', direction: 'out', size: 12 }));
    expect(callbacks.types).toContain('handle-started');
    const tasks = await runPython({ file: path.join(LIBRARY, 'ten-tasks.py'), detail: 'tasks' });
    expect(tasks.types).not.toContain('handle-scheduled');
    expect(tasks.types).not.toContain('handle-started');
    expect(tasks.c.events.filter((e) => e.type === 'task-step')).toHaveLength(12);
    expect(tasks.c.events.filter((e) => e.type === 'task-done')).toHaveLength(11);
    for (const e of tasks.c.events) expect(engineEventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
  });

  it('pauses before the first callback, steps one callback, one iteration, and resumes (with snapshots)', async () => {
    const { c, listener } = collector();
    const run = await PythonRun.start({ shimDir: SHIM, file: path.join(LIBRARY, 'ten-tasks.py'), startPaused: true }, listener);
    const pausedCount = () => c.states.filter((s) => s.state === 'paused').length;
    const waitFor = async (cond: () => boolean, what: string) => {
      for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(cond(), what).toBe(true);
    };
    await waitFor(() => pausedCount() >= 1, 'paused before the first callback');
    const first = c.states.find((s) => s.state === 'paused')!;
    expect(first.detail).toMatchObject({ reason: 'pause', next: { callback: 'Task.__step' } });
    expect(c.output).toEqual([]);
    await waitFor(() => c.snapshots.length > 0, 'a snapshot at the pause');
    const snap = loopSnapshotSchema.parse(c.snapshots[c.snapshots.length - 1]);
    expect(snap.ready.map((h) => h.callback)).toEqual(['Task.__step']);
    expect(snap.tasks).toEqual([expect.objectContaining({ name: 'Task-1', awaiting: null })]);

    run.command({ kind: 'callback', count: 1 });
    await waitFor(() => pausedCount() >= 2, 'paused after one callback');
    expect(c.states.filter((s) => s.state === 'paused')[1].detail).toMatchObject({ reason: 'step', next: { callback: 'Task.__step' } });
    await waitFor(() => c.output.map((o) => o.text).join('') === 'Tasks Completed\n', 'the first step printed');

    run.command({ kind: 'iteration', iteration: null });
    await waitFor(() => pausedCount() >= 3, 'paused after one iteration');
    await waitFor(() => c.output.map((o) => o.text).join('').endsWith('Processing 9\n'), 'the ten tasks ran in that iteration');
    // The next iteration begins when sleep(2)'s timer is due: paused in front of it.
    expect(c.states.filter((s) => s.state === 'paused')[2].detail).toMatchObject({ reason: 'step', next: { callback: '_set_result_unless_cancelled' } });
    await waitFor(() => c.snapshots[c.snapshots.length - 1].ready[0]?.callback === '_set_result_unless_cancelled', 'the due timer first in the snapshot');

    run.command({ kind: 'run' });
    const result = await run.done;
    expect(result.state).toBe('finished');
    expect(c.states.map((s) => s.state)).toContain('running');
  });

  it('pauses a loop that is idle in select at once, and stop() ends the program and its children', async () => {
    const { c, listener } = collector();
    const file = program('idle.py', 'import asyncio, subprocess\nsubprocess.Popen(["sleep", "30"])\nasyncio.run(asyncio.sleep(30))\n');
    const run = await PythonRun.start({ shimDir: SHIM, file }, listener);
    await new Promise((r) => setTimeout(r, 400));
    run.pause();
    for (let i = 0; i < 100 && !c.states.some((s) => s.state === 'paused'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(c.states.find((s) => s.state === 'paused')?.detail).toMatchObject({ reason: 'pause', next: null });
    for (let i = 0; i < 100 && c.snapshots.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const snap = loopSnapshotSchema.parse(c.snapshots[c.snapshots.length - 1]);
    expect(snap.scheduled.map((t) => t.callback)).toEqual(['_set_result_unless_cancelled']);
    expect(snap.tasks).toEqual([expect.objectContaining({ name: 'Task-1', awaiting: 'sleep(30)' })]);
    expect(snap.running).toBe(true);
    const t0 = Date.now();
    expect((await run.stop()).state).toBe('stopped');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('says plainly that the view is partial under uvloop, and the program runs normally', async () => {
    const python = uvloopPython();
    if (!python) {
      console.warn('uvloop test skipped: no interpreter with uvloop (Debian: /usr/bin/python3 with python3-uvloop)');
      return;
    }
    const file = program('uv.py', 'import asyncio, uvloop\nasync def main():\n    await asyncio.sleep(0.01)\n    print("uvloop ran", type(asyncio.get_running_loop()).__module__)\nuvloop.install()\nasyncio.run(main())\n');
    const r = await runPython({ file, interpreter: python });
    expect(r.result).toMatchObject({ state: 'finished', exitCode: 0 });
    expect(r.stdout).toBe('uvloop ran uvloop\n');
    expect(r.result.notices).toContainEqual({ kind: 'partial-view', message: expect.stringContaining('uvloop.Loop is not asyncio') });
    expect(r.c.events).toContainEqual(expect.objectContaining({ type: 'observer-notice', kind: 'partial-view' }));
    expect(r.c.events).toContainEqual(expect.objectContaining({ type: 'loop-state', state: 'running' }));
  });

  it('says that events may be missing when the program ends with os._exit, and keeps its exit code', async () => {
    const file = program('exit.py', 'import asyncio, os\nasync def main():\n    print("bye", flush=True)\n    os._exit(7)\nasyncio.run(main())\n');
    const r = await runPython({ file });
    expect(r.stdout).toBe('bye\n');
    expect(r.result).toMatchObject({ state: 'failed', exitCode: 7 });
    expect(r.result.notices).toContainEqual({ kind: 'events-may-be-missing', message: expect.stringContaining('os._exit') });
    expect(r.c.events).toContainEqual(expect.objectContaining({ type: 'observer-notice', kind: 'events-may-be-missing' }));
    const clean = await runPython({ file: path.join(LIBRARY, 'hello-world.py') });
    expect(clean.result.notices).toBeUndefined();
  });

  it('reports an uncaught exception as the fatal error at the program line, with the traceback on stderr as Python prints it', async () => {
    const file = program('raises.py', 'import asyncio\nasync def main():\n    raise LookupError("nothing here")\nasyncio.run(main())\n');
    const r = await runPython({ file });
    expect(r.result).toMatchObject({ state: 'failed', exitCode: 1, error: { name: 'LookupError', message: 'nothing here', location: { file, line: 3 } } });
    expect(r.stderr).toMatch(/^Traceback \(most recent call last\):/);
  });

  it('writes terminal input into a transport of the program (on the loop thread) and into its stdin (transport 0)', async () => {
    const file = program(
      'typed.py',
      `import asyncio, sys
class Client(asyncio.Protocol):
    def __init__(self, got): self.got = got
    def data_received(self, data): print('client got', data.decode(), flush=True); self.got.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(asyncio.Protocol, '127.0.0.1', 0)
    got = loop.create_future()
    t, _ = await loop.create_connection(lambda: Client(got), '127.0.0.1', server.sockets[0].getsockname()[1])
    await asyncio.wait_for(got, 10)
    line = await loop.run_in_executor(None, sys.stdin.readline)
    print('stdin said', line.strip())
    t.close(); server.close()
asyncio.run(main())
`,
    );
    const { c, listener } = collector();
    const run = await PythonRun.start({ shimDir: SHIM, file }, listener);
    for (let i = 0; i < 200 && !c.events.some((e) => e.type === 'transport-opened' && e.serverId !== undefined); i++) await new Promise((r) => setTimeout(r, 20));
    const accepted = c.events.find((e) => e.type === 'transport-opened' && e.serverId !== undefined) as { transportId: number };
    run.write(accepted.transportId, new TextEncoder().encode('typed'));
    for (let i = 0; i < 200 && !c.output.map((o) => o.text).join('').includes('client got'); i++) await new Promise((r) => setTimeout(r, 20));
    run.write(0, new TextEncoder().encode('hello stdin\n'));
    const result = await run.done;
    expect(result.state).toBe('finished');
    expect(c.output.filter((o) => o.stream === 'stdout').map((o) => o.text).join('')).toBe('client got typed\nstdin said hello stdin\n');
    expect(c.events).toContainEqual(expect.objectContaining({ type: 'transport-data', transportId: accepted.transportId, direction: 'out', data: Buffer.from('typed').toString('base64') }));
  });

  it('sees loops in threads and asyncio.run, with no policy involved', async () => {
    const file = program(
      'threads.py',
      `import asyncio, threading
def in_thread():
    async def job(): print('in a thread')
    asyncio.run(job())
t = threading.Thread(target=in_thread); t.start(); t.join()
async def main(): print('in main')
asyncio.run(main())
`,
    );
    const r = await runPython({ file });
    expect(r.stdout).toBe('in a thread\nin main\n');
    const created = r.c.events.filter((e) => e.type === 'task-created').map((e) => (e as { coro: string }).coro);
    expect(created).toEqual(expect.arrayContaining(['in_thread.<locals>.job()', 'main()']));
    expect(r.c.events.filter((e) => e.type === 'loop-state' && e.state === 'running').length).toBeGreaterThanOrEqual(2);
  });

  it('works with -I (isolated mode) through the runner, as site hooks are off there', async () => {
    const r = await runPython({ file: path.join(LIBRARY, 'hello-world.py'), interpreter: 'python3 -I' });
    expect(r.stdout).toBe('Hello World\n');
    expect(r.types).toContain('handle-started');
  });
  },
  { timeout: 60_000 },
);

it('a missing interpreter is a clear error, not a crash', async () => {
  await expect(PythonRun.start({ file: path.join(LIBRARY, 'hello-world.py'), interpreter: '/nonexistent/python3' })).rejects.toBeInstanceOf(PythonUnavailableError);
  await expect(PythonRun.start({ file: path.join(LIBRARY, 'hello-world.py'), interpreter: '/nonexistent/python3' })).rejects.toThrow(/LOOPWRIGHT_PYTHON/);
});
