// Child processes through subprocessExec / subprocessShell and the streams-level
// createSubprocessExec, with real programs (/bin/cat, sh -c, node -e). Each test is bounded: every
// child exits by itself within a second or is killed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  NodeEventLoop,
} from '../index';
import {
  BrokenPipeError,
  FileNotFoundError,
  PermissionError,
  ProcessLookupError,
  SubprocessProtocol,
  createSubprocessExec,
  createSubprocessShell,
  decodeBytes,
  sleep,
  type EngineEvent,
  type Future,
  type SubprocessTransport,
  type WriteTransport,
} from '../index';
import { inLoop } from '../testing/test-loops';

const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const textOf = (chunks: Uint8Array[]): string => chunks.map((c) => String.fromCharCode(...c)).join('');

/** Records every callback in order, with the pipe output per fd. */
class Recorder extends SubprocessProtocol {
  readonly calls: string[] = [];
  readonly out: Record<number, Uint8Array[]> = { 1: [], 2: [] };
  readonly pipeErrors: Record<number, Error | null> = {};
  transport!: SubprocessTransport;
  readonly done: Future<void>;
  constructor(loop: NodeEventLoop) {
    super();
    this.done = loop.createFuture<void>();
  }
  override connectionMade(t: SubprocessTransport): void {
    this.calls.push('connectionMade');
    this.transport = t;
  }
  override pipeDataReceived(fd: number, data: Uint8Array): void {
    if (this.calls[this.calls.length - 1] !== `pipeDataReceived(${fd})`) this.calls.push(`pipeDataReceived(${fd})`);
    this.out[fd].push(data);
  }
  override pipeConnectionLost(fd: number, exc: Error | null): void {
    this.calls.push(`pipeConnectionLost(${fd})`);
    this.pipeErrors[fd] = exc;
  }
  override processExited(): void {
    this.calls.push('processExited');
  }
  override connectionLost(exc: Error | null): void {
    this.calls.push(`connectionLost(${exc})`);
    this.done.setResult(undefined);
  }
}

/** asyncio's guarantee: connectionMade first, connectionLost last, after the exit and every pipe. */
function expectOrder(calls: string[], pipes: number[]): void {
  expect(calls[0]).toBe('connectionMade');
  expect(calls[calls.length - 1]).toBe('connectionLost(null)');
  expect(calls.filter((c) => c === 'connectionMade')).toHaveLength(1);
  expect(calls.filter((c) => c.startsWith('connectionLost'))).toHaveLength(1);
  expect(calls).toContain('processExited');
  for (const fd of pipes) expect(calls).toContain(`pipeConnectionLost(${fd})`);
}

describe('subprocesses', () => {
  it('/bin/cat echoes its stdin; connectionMade first and connectionLost last, after the exit and every pipe (base_subprocess)', async () => {
    await inLoop(async (loop) => {
      const [transport, proto] = await loop.subprocessExec(() => new Recorder(loop), '/bin/cat');
      expect(proto.calls).toEqual(['connectionMade']);
      expect(transport.getPid()).toBeGreaterThan(0);
      expect(transport.getExtraInfo('pid')).toBe(transport.getPid());
      expect(transport.getReturncode()).toBeNull();
      const stdin = transport.getPipeTransport(0) as WriteTransport;
      stdin.write(bytesOf('hello\n'));
      stdin.write(Uint8Array.of(0xff, 0x00, 0xfe));
      stdin.close();
      await proto.done;
      expect(textOf(proto.out[1])).toBe('hello\n\xff\x00\xfe');
      expect(transport.getReturncode()).toBe(0);
      expectOrder(proto.calls, [0, 1, 2]);
      transport.close();
    });
  });

  it('exit codes are reported: sh -c "exit 3", node -e "process.exit(7)" (SubprocessTransport.get_returncode)', async () => {
    await inLoop(async (loop) => {
      const [t1, p1] = await loop.subprocessShell(() => new Recorder(loop), 'echo out; echo err >&2; exit 3');
      await p1.done;
      expect(t1.getReturncode()).toBe(3);
      expect(textOf(p1.out[1])).toBe('out\n');
      expect(textOf(p1.out[2])).toBe('err\n');
      expectOrder(p1.calls, [0, 1, 2]);
      const [t2, p2] = await loop.subprocessExec(() => new Recorder(loop), process.execPath, '-e', 'process.stdout.write("js"); process.exit(7)');
      await p2.done;
      expect(t2.getReturncode()).toBe(7);
      expect(textOf(p2.out[1])).toBe('js');
    });
  });

  it('output and exit that happen before the pipes connect are replayed after connectionMade', async () => {
    await inLoop(async (loop) => {
      // The child writes and exits at once; connectionMade still comes first.
      const [, proto] = await loop.subprocessExec(() => new Recorder(loop), '/bin/sh', '-c', 'printf quick', { stdin: null, stderr: null });
      await proto.done;
      expect(textOf(proto.out[1])).toBe('quick');
      expectOrder(proto.calls, [1]);
    });
  });

  it('signals: kill() gives -9, terminate() -15, sendSignal("SIGINT") -2 (negative signal numbers, as Python)', async () => {
    await inLoop(async (loop) => {
      const expected: Array<[(t: SubprocessTransport) => void, number]> = [
        [(t) => t.kill(), -9],
        [(t) => t.terminate(), -15],
        [(t) => t.sendSignal('SIGINT'), -2],
      ];
      for (const [send, code] of expected) {
        const [t, p] = await loop.subprocessExec(() => new Recorder(loop), '/bin/sleep', '10', { stdin: null, stdout: null, stderr: null });
        send(t);
        await p.done;
        expect(t.getReturncode()).toBe(code);
        expect(p.calls).toEqual(['connectionMade', 'processExited', 'connectionLost(null)']);
        // The transport is finished: asyncio raises ProcessLookupError.
        expect(() => t.kill()).toThrow(ProcessLookupError);
      }
    });
  });

  it('close() kills a running child (BaseSubprocessTransport.close)', async () => {
    await inLoop(async (loop) => {
      const [t, p] = await loop.subprocessExec(() => new Recorder(loop), '/bin/sleep', '10');
      t.close();
      t.close();
      await p.done;
      expect(t.getReturncode()).toBe(-9);
      expectOrder(p.calls, [0, 1, 2]);
    });
  });

  it('a missing program rejects with FileNotFoundError (errno 2, the filename)', async () => {
    await inLoop(async (loop) => {
      let caught: unknown;
      try {
        await loop.subprocessExec(() => new Recorder(loop), '/nonexistent/program', 'arg');
      } catch (exc) {
        caught = exc;
      }
      expect(caught).toBeInstanceOf(FileNotFoundError);
      const err = caught as FileNotFoundError;
      expect(err.errno).toBe(2);
      expect(err.filename).toBe('/nonexistent/program');
      expect(err.message).toBe("[Errno 2] No such file or directory: '/nonexistent/program'");
      expect(loop.snapshot().transports).toEqual([]);
    });
  });

  it('a program that is not executable rejects with PermissionError (EACCES)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loopwright-'));
    const file = path.join(dir, 'not-executable');
    writeFileSync(file, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    try {
      await inLoop(async (loop) => {
        await expect(loop.subprocessExec(() => new Recorder(loop), file)).rejects.toBeInstanceOf(PermissionError);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writing to a child's closed stdin loses the pipe with BrokenPipeError (EPIPE)", async () => {
    await inLoop(async (loop) => {
      const [t, p] = await loop.subprocessShell(() => new Recorder(loop), 'exec 0<&-; sleep 0.3');
      const stdin = t.getPipeTransport(0) as WriteTransport;
      await sleep(0.05);
      for (let i = 0; i < 50 && p.pipeErrors[0] === undefined; i++) {
        stdin.write(new Uint8Array(1024));
        await sleep(0.005);
      }
      expect(p.pipeErrors[0]).toBeInstanceOf(BrokenPipeError);
      expect((p.pipeErrors[0] as BrokenPipeError).errno).toBe(32);
      await p.done;
      expectOrder(p.calls, [0, 1, 2]);
    });
  });

  it('stdio options: null is /dev/null (no pipe transport), cwd and env reach the child', async () => {
    await inLoop(async (loop) => {
      const [t, p] = await loop.subprocessShell(() => new Recorder(loop), 'pwd; echo "$LOOPWRIGHT_TEST"', {
        stdin: null,
        stderr: null,
        cwd: '/tmp',
        env: { ...process.env, LOOPWRIGHT_TEST: 'from-env' },
      });
      expect(t.getPipeTransport(0)).toBeNull();
      expect(t.getPipeTransport(2)).toBeNull();
      expect(t.getPipeTransport(1)).not.toBeNull();
      await p.done;
      expect(textOf(p.out[1])).toBe('/tmp\nfrom-env\n');
    });
  });

  it('process lifecycle and pipe traffic are events; the snapshot lists the child with its pid', async () => {
    await inLoop(async (loop) => {
      const events: EngineEvent[] = [];
      loop.setEventSink((e) => events.push(e));
      const [t, p] = await loop.subprocessExec(() => new Recorder(loop), '/bin/cat');
      const entry = (loop.snapshot().transports ?? []).find((e) => e.kind === 'subprocess');
      expect(entry).toMatchObject({ pid: t.getPid(), peer: '/bin/cat', state: 'open', returncode: null });
      (t.getPipeTransport(0) as WriteTransport).write(bytesOf('abc'));
      (t.getPipeTransport(0) as WriteTransport).close();
      await p.done;
      const exited = events.find((e) => e.type === 'process-exited');
      expect(exited).toMatchObject({ pid: t.getPid(), returncode: 0 });
      const data = events.filter((e) => e.type === 'transport-data');
      const fds = data.map((e) => (e.type === 'transport-data' ? `${e.direction}:${e.fd}:${String.fromCharCode(...decodeBytes(e.data))}` : ''));
      expect(fds).toEqual(['out:0:abc', 'in:1:abc']);
      const opened = events.filter((e) => e.type === 'transport-opened');
      expect(opened.map((e) => (e.type === 'transport-opened' ? e.kind : ''))).toEqual(['subprocess', 'pipe', 'pipe', 'pipe']);
      expect(loop.snapshot().transports).toEqual([]);
    });
  });

  it('createSubprocessExec: communicate() feeds stdin and collects stdout (asyncio.subprocess.Process)', async () => {
    await inLoop(async (loop) => {
      const proc = await createSubprocessExec('/bin/cat', { stdin: 'pipe', stdout: 'pipe' });
      expect(proc.pid).toBeGreaterThan(0);
      const [out, err] = await proc.communicate(bytesOf('round trip'));
      expect(textOf([out as Uint8Array])).toBe('round trip');
      expect(err).toBeNull();
      expect(proc.returncode).toBe(0);
      const sh = await createSubprocessShell('exit 5', { stdin: null, stdout: null, stderr: null });
      expect(await sh.wait()).toBe(5);
      expect(loop.snapshot().transports).toEqual([]);
    });
  });

  it('createSubprocessExec: read stdout line by line, then wait()', async () => {
    await inLoop(async () => {
      const proc = await createSubprocessExec(process.execPath, '-e', 'for (let i = 0; i < 3; i++) console.log("line " + i)', { stdout: 'pipe' });
      const lines: string[] = [];
      for await (const line of proc.stdout!) lines.push(String.fromCharCode(...line));
      expect(lines).toEqual(['line 0\n', 'line 1\n', 'line 2\n']);
      expect(await proc.wait()).toBe(0);
    });
  });
});
