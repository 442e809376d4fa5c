import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { event } from '../../shared/ipc/define';
import { Router } from './router';
import { Channels, TRAFFIC_BYTES_PER_SECOND, contract } from '../../shared/ipc/contract';
import type { ImplementationOf } from '../../shared/ipc/define';
import type { HostConnectionEventInfo } from '../../shared/runs/run';
import { createClient } from '../../shared/ipc/client';
import type { ToRenderer } from '../../shared/ipc/wire';
import { createAppHost } from './app-host';
import { describeIpcSuite, suiteContract, suiteRouter } from './testing/ipc-suite';

/** The in-memory pair: the router and a client wired back to back, through JSON like a real link. */
describeIpcSuite('the in-memory pair', async (router) => {
  let handler: ((message: ToRenderer) => void) | undefined;
  const peer = router.connect((message) => queueMicrotask(() => handler?.(JSON.parse(JSON.stringify(message)) as ToRenderer)));
  const api = createClient(suiteContract, {
    send: (message) => void peer.receive(JSON.parse(JSON.stringify(message))),
    onMessage: (h) => (handler = h),
  });
  return { api, close: async () => peer.dispose() };
});

describe('Router', () => {
  it('answers an unknown channel with a typed error and logs it once', async () => {
    const { router, logs } = suiteRouter();
    await expect(router.call('math.nope', [])).resolves.toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    await expect(router.call('constructor.name', [])).resolves.toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    await expect(router.call('math.onDidTick', [])).resolves.toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(logs).toHaveLength(3);
  });

  it('answers a malformed message with a bad-message error, without crashing', async () => {
    const { router } = suiteRouter();
    const sent: ToRenderer[] = [];
    const peer = router.connect((m) => sent.push(m));
    for (const raw of [undefined, 42, 'call', { t: 'call' }, { t: 'call', id: -1, channel: 'math.add', args: [] }, { t: 'explode' }]) {
      await peer.receive(raw);
    }
    expect(sent).toHaveLength(6);
    expect(sent.every((m) => m.t === 'error' && m.error.code === 'bad-message')).toBe(true);
  });

  it('refuses a subscription to an unknown event channel', async () => {
    const { router } = suiteRouter();
    const sent: ToRenderer[] = [];
    const peer = router.connect((m) => sent.push(m));
    await peer.receive({ t: 'subscribe', channel: 'math.add' });
    expect(sent).toEqual([{ t: 'error', error: expect.objectContaining({ code: 'unknown-channel' }) }]);
  });

  it('publishes only to subscribed peers, and not after dispose', async () => {
    const { router } = suiteRouter();
    const a: ToRenderer[] = [];
    const b: ToRenderer[] = [];
    const pa = router.connect((m) => a.push(m));
    router.connect((m) => b.push(m));
    await pa.receive({ t: 'subscribe', channel: 'math.onDidTick' });
    router.publish('math.onDidTick', { n: 1 });
    pa.dispose();
    router.publish('math.onDidTick', { n: 2 });
    expect(a).toEqual([{ t: 'event', channel: 'math.onDidTick', payload: { n: 1 } }]);
    expect(b).toEqual([]);
  });

  it('refuses to publish a payload outside the contract (a host bug, not user input)', () => {
    const { router } = suiteRouter();
    expect(() => router.publish('math.onDidTick', { n: 'one' })).toThrow();
    expect(() => router.publish('math.add', {})).toThrow(/not an event channel/);
  });
});

describe('the app host', () => {
  it('host.info() reports the identity it was started with', async () => {
    const host = createAppHost({
      identity: { appName: 'Loopwright', appVersion: '1.2.3', mode: 'browser', versions: { node: '20.20.2' }, platform: 'linux', arch: 'x64' },
      log: () => {},
      folders: { library: '/nonexistent/library', workspace: '/nonexistent/workspace' },
      engineDir: '/nonexistent/engine',
    });
    const result = await host.router.call('host.info', []);
    expect(result).toEqual({
      ok: true,
      value: { appName: 'Loopwright', appVersion: '1.2.3', mode: 'browser', node: '20.20.2', electron: null, chrome: null, platform: 'linux', arch: 'x64' },
    });
  });

  it('publishes refused calls on host.onDidLog to subscribers', async () => {
    const lines: string[] = [];
    const host = createAppHost({
      identity: { appName: 'Loopwright', appVersion: '1.2.3', mode: 'browser', versions: { node: '20' }, platform: 'linux', arch: 'x64' },
      log: (entry) => lines.push(entry.message),
      folders: { library: '/nonexistent/library', workspace: '/nonexistent/workspace' },
      engineDir: '/nonexistent/engine',
    });
    const sent: ToRenderer[] = [];
    const peer = host.router.connect((m) => sent.push(m));
    await peer.receive({ t: 'subscribe', channel: Channels.host.onDidLog });
    await peer.receive({ t: 'call', id: 1, channel: 'host.info', args: ['extra'] });
    expect(lines).toHaveLength(1);
    expect(sent).toContainEqual(expect.objectContaining({ t: 'event', channel: 'host.onDidLog', payload: expect.objectContaining({ level: 'warn' }) }));
    expect(sent).toContainEqual(expect.objectContaining({ t: 'result', id: 1, ok: false }));
  });
});

describe('the scenarios service through the router', () => {
  it('creates, lists, reads, refuses an escape, and deletes, with results inside the contract', async () => {
    const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'loopwright-service-'));
    mkdirSync(path.join(dir, 'library'));
    writeFileSync(path.join(dir, 'library/hello.ts'), "export const meta = { title: 'Hello', clock: 'virtual' };\n");
    try {
      const host = createAppHost({
        identity: { appName: 'Loopwright', appVersion: '1', mode: 'browser', versions: { node: '20' }, platform: 'linux', arch: 'x64' },
        log: () => {},
        folders: { library: path.join(dir, 'library'), workspace: path.join(dir, 'workspace') },
        engineDir: path.join(dir, 'engine'),
      });
      const call = (channel: string, ...args: unknown[]) => host.router.call(channel, args);
      const mine = { location: 'workspace', path: 'mine.ts' };
      expect(await call('scenarios.create', mine)).toMatchObject({ ok: true, value: { title: 'New scenario' } });
      expect(await call('scenarios.list')).toMatchObject({ ok: true, value: [{ title: 'Hello', clock: 'virtual', readOnly: true }, { title: 'New scenario' }] });
      expect(await call('scenarios.read', mine)).toMatchObject({ ok: true, value: { source: expect.stringContaining('getEventLoop') } });
      expect(await call('scenarios.read', { location: 'workspace', path: '../library/hello.ts' })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
      expect(await call('scenarios.write', { location: 'library', path: 'hello.ts' }, 'x')).toMatchObject({ ok: false, error: { code: 'handler-failed', message: expect.stringContaining('read-only') } });
      expect(await call('scenarios.delete', mine)).toEqual({ ok: true, value: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('delivery to a congested renderer', () => {
  const contractWithStreams = {
    run: {
      onDidSnapshot: event(z.object({ runId: z.string(), n: z.number() }), { policy: 'latest' }),
      onDidEmit: event(z.object({ runId: z.string(), items: z.array(z.number()), dropped: z.number().optional() }), {
        policy: 'bounded',
        validate: false,
        measure: (p) => p.items.length,
        dropNotice: (runId, dropped) => ({ runId, items: [], dropped }),
      }),
      onDidChangeState: event(z.object({ runId: z.string(), state: z.string() })),
    },
  } as const;

  function setup() {
    const router = new Router(contractWithStreams, { run: {} }, () => {});
    const sent: ToRenderer[] = [];
    let congested = false;
    const peer = router.connect((m) => sent.push(m), { congested: () => congested });
    return { router, sent, peer, setCongested: (c: boolean) => (congested = c) };
  }

  it('keeps only the latest snapshot per run while congested, and sends it once drained', async () => {
    vi.useFakeTimers();
    try {
      const { router, sent, peer, setCongested } = setup();
      await peer.receive({ t: 'subscribe', channel: 'run.onDidSnapshot' });
      setCongested(true);
      for (let n = 1; n <= 5; n++) router.publish('run.onDidSnapshot', { runId: 'a', n });
      router.publish('run.onDidSnapshot', { runId: 'b', n: 1 });
      expect(sent).toEqual([]);
      setCongested(false);
      vi.advanceTimersByTime(100);
      expect(sent.map((m) => (m.t === 'event' ? m.payload : null))).toEqual([{ runId: 'a', n: 5 }, { runId: 'b', n: 1 }]);
      peer.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a bounded stream with a count that the next payload reports, never silently', async () => {
    vi.useFakeTimers();
    try {
      const { router, sent, peer, setCongested } = setup();
      await peer.receive({ t: 'subscribe', channel: 'run.onDidEmit' });
      setCongested(true);
      router.publish('run.onDidEmit', { runId: 'a', items: [1, 2, 3] });
      router.publish('run.onDidEmit', { runId: 'a', items: [4] });
      setCongested(false);
      router.publish('run.onDidEmit', { runId: 'a', items: [5] });
      expect(sent).toEqual([{ t: 'event', channel: 'run.onDidEmit', payload: { runId: 'a', items: [5], dropped: 4 } }]);
      setCongested(true);
      router.publish('run.onDidEmit', { runId: 'a', items: [6, 7] });
      setCongested(false);
      vi.advanceTimersByTime(100);
      expect(sent[1]).toEqual({ t: 'event', channel: 'run.onDidEmit', payload: { runId: 'a', items: [], dropped: 2 } });
      peer.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it("cuts a stream's bulk down to its allowance per run and second, which refills with time", async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
    try {
      const bulky = {
        run: {
          onDidSend: event(z.object({ runId: z.string(), chunks: z.array(z.string()), cut: z.number() }), {
            policy: 'bounded',
            validate: false,
            bulk: {
              bytesPerSecond: 10,
              fit: (p, allowance) => {
                let used = 0;
                const kept = p.chunks.filter((c) => (used + c.length <= allowance ? ((used += c.length), true) : false));
                return { payload: { ...p, chunks: kept, cut: p.chunks.length - kept.length }, used };
              },
            },
          }),
        },
      } as const;
      const router = new Router(bulky, { run: {} }, () => {});
      const sent: unknown[] = [];
      const peer = router.connect((m) => sent.push(m.t === 'event' ? m.payload : null));
      await peer.receive({ t: 'subscribe', channel: 'run.onDidSend' });
      router.publish('run.onDidSend', { runId: 'a', chunks: ['aaaa', 'bbbb', 'cccc'], cut: 0 });
      router.publish('run.onDidSend', { runId: 'b', chunks: ['dddd'], cut: 0 });
      router.publish('run.onDidSend', { runId: 'a', chunks: ['ee'], cut: 0 });
      vi.advanceTimersByTime(500);
      router.publish('run.onDidSend', { runId: 'a', chunks: ['ffff', 'gg'], cut: 0 });
      expect(sent).toEqual([
        { runId: 'a', chunks: ['aaaa', 'bbbb'], cut: 1 },
        { runId: 'b', chunks: ['dddd'], cut: 0 },
        { runId: 'a', chunks: ['ee'], cut: 0 },
        // Half a second later, half the allowance is back.
        { runId: 'a', chunks: ['ffff'], cut: 1 },
      ]);
      peer.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it("caps the bytes of a Connect connection a window gets per second, as a run's traffic, but never its life", async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const router = new Router(contract, {} as ImplementationOf<typeof contract>, () => {});
      const sent: HostConnectionEventInfo[] = [];
      const peer = router.connect((m) => void (m.t === 'event' && sent.push(m.payload as HostConnectionEventInfo)));
      await peer.receive({ t: 'subscribe', channel: 'runs.onDidConnectionEvent' });
      const data = (text: string): HostConnectionEventInfo => ({ runId: 'r', connectionId: 1, kind: 'data', direction: 'in', data: text, size: (text.length * 3) / 4, time: 1 });
      const big = 'A'.repeat((TRAFFIC_BYTES_PER_SECOND / 4) * 3); // three quarters of the allowance
      router.publish('runs.onDidConnectionEvent', { runId: 'r', connectionId: 1, kind: 'open', time: 0 });
      router.publish('runs.onDidConnectionEvent', data(big));
      router.publish('runs.onDidConnectionEvent', data(big));
      router.publish('runs.onDidConnectionEvent', { runId: 'r', connectionId: 1, kind: 'close', time: 2 });
      vi.advanceTimersByTime(1000);
      router.publish('runs.onDidConnectionEvent', data(big));
      expect(sent.map((e) => [e.kind, e.data === undefined ? 'no bytes' : 'bytes', e.size])).toEqual([
        ['open', 'no bytes', undefined],
        ['data', 'bytes', big.length * 0.75],
        ['data', 'no bytes', big.length * 0.75],
        ['close', 'no bytes', undefined],
        // A second later the allowance is back.
        ['data', 'bytes', big.length * 0.75],
      ]);
      peer.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('always sends reliable events, congested or not', async () => {
    const { router, sent, peer, setCongested } = setup();
    await peer.receive({ t: 'subscribe', channel: 'run.onDidChangeState' });
    setCongested(true);
    router.publish('run.onDidChangeState', { runId: 'a', state: 'finished' });
    expect(sent).toHaveLength(1);
    peer.dispose();
  });
});

describe('optional arguments', () => {
  it('a trailing undefined argument is left out, not sent as null', async () => {
    const { router } = suiteRouter();
    let handler: ((message: ToRenderer) => void) | undefined;
    const peer = router.connect((message) => queueMicrotask(() => handler?.(JSON.parse(JSON.stringify(message)) as ToRenderer)));
    const sent: unknown[] = [];
    const api = createClient(suiteContract, {
      send: (message) => {
        sent.push(message);
        void peer.receive(JSON.parse(JSON.stringify(message)));
      },
      onMessage: (h) => (handler = h),
    });
    const add = api.math.add as unknown as (...args: unknown[]) => Promise<number>;
    await expect(add(1, 2, undefined)).resolves.toBe(3);
    expect(sent[0]).toMatchObject({ args: [1, 2] });
  });
});
