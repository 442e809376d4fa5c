import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { event, method, type ApiOf } from '../../../shared/ipc/define';
import { IpcError } from '../../../shared/ipc/wire';
import { Router } from '../router';

/** A small contract that exercises every path of the IPC layer. */
export const suiteContract = {
  math: {
    add: method(z.tuple([z.number(), z.number()]), z.number()),
    fail: method(z.tuple([]), z.null()),
    lie: method(z.tuple([]), z.number()),
    tick: method(z.tuple([z.number().int()]), z.null()),
    onDidTick: event(z.object({ n: z.number() })),
  },
} as const;

export type SuiteApi = ApiOf<typeof suiteContract>;

/** A fresh router for the suite contract, with its log lines collected. */
export function suiteRouter(): { router: Router<typeof suiteContract>; logs: string[] } {
  const logs: string[] = [];
  const router: Router<typeof suiteContract> = new Router(
    suiteContract,
    {
      math: {
        add: (a, b) => a + b,
        fail: () => {
          throw new Error('boom');
        },
        lie: () => 'not a number' as unknown as number,
        tick: (n) => {
          for (let i = 1; i <= n; i++) router.publish('math.onDidTick', { n: i });
          return null;
        },
      },
    },
    (level, message) => logs.push(`${level}: ${message}`),
  );
  return { router, logs };
}

/** How a transport under test connects a client to a router; returns the client and a closer. */
export type ConnectClient = (router: Router<typeof suiteContract>) => Promise<{ api: SuiteApi; close(): Promise<void> }>;

/** Waits until `check` passes, for events that cross a real socket. */
async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/**
 * The IPC behaviour suite, written once and run over each transport (STYLE.md rule 12): the
 * in-memory pair and the browser-mode WebSocket bridge (and Electron where its binary exists).
 */
export function describeIpcSuite(transport: string, connect: ConnectClient): void {
  describe(`IPC over ${transport}`, () => {
    let router: Router<typeof suiteContract>;
    let logs: string[];
    let api: SuiteApi;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ router, logs } = suiteRouter());
      ({ api, close } = await connect(router));
    });
    afterEach(async () => {
      await close();
    });

    it('a call returns the handler result', async () => {
      await expect(api.math.add(2, 40)).resolves.toBe(42);
    });

    it('concurrent calls each get their own result', async () => {
      const results = await Promise.all([1, 2, 3, 4].map((n) => api.math.add(n, n)));
      expect(results).toEqual([2, 4, 6, 8]);
    });

    it('a bad payload gets a typed invalid-payload error and is logged once', async () => {
      const bad = api.math.add as unknown as (...args: unknown[]) => Promise<number>;
      const error = await bad('two', 2).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IpcError);
      expect((error as IpcError).code).toBe('invalid-payload');
      expect((error as IpcError).issues?.[0]?.path).toBe('0');
      expect(logs.filter((l) => l.includes('invalid-payload'))).toHaveLength(1);
      await expect(api.math.add(1, 1)).resolves.toBe(2);
    });

    it('a throwing handler gets handler-failed, and the host goes on', async () => {
      await expect(api.math.fail()).rejects.toMatchObject({ code: 'handler-failed', message: expect.stringContaining('boom') });
      await expect(api.math.add(1, 2)).resolves.toBe(3);
    });

    it('a result outside the contract is refused rather than sent', async () => {
      await expect(api.math.lie()).rejects.toMatchObject({ code: 'handler-failed' });
    });

    it('an event reaches a subscriber, in order, and stops after dispose()', async () => {
      const seen: number[] = [];
      const subscription = api.math.onDidTick((payload) => seen.push(payload.n));
      await api.math.tick(3);
      await eventually(() => expect(seen).toEqual([1, 2, 3]));
      subscription.dispose();
      await api.math.tick(2);
      await api.math.add(0, 0); // a round trip after the ticks: any stray event would have arrived
      expect(seen).toEqual([1, 2, 3]);
    });

    it('two subscriptions to one channel both receive, and disposing one keeps the other', async () => {
      const a: number[] = [];
      const b: number[] = [];
      const sa = api.math.onDidTick((p) => a.push(p.n));
      api.math.onDidTick((p) => b.push(p.n));
      await api.math.tick(1);
      await eventually(() => expect([a, b]).toEqual([[1], [1]]));
      sa.dispose();
      await api.math.tick(1);
      await eventually(() => expect(b).toEqual([1, 1]));
      expect(a).toEqual([1]);
    });
  });
}
