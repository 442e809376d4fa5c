import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Channels, contract, HostInfoSchema } from './contract';
import { channelTable, event, lookup, method } from './define';
import { ToHostSchema } from './wire';

describe('the IPC contract', () => {
  it('derives every channel name from the contract table', () => {
    expect(Channels.host.info).toBe('host.info');
    expect(Channels.host.onDidLog).toBe('host.onDidLog');
    const table = channelTable({ a: { b: method(z.tuple([]), z.null()), onC: event(z.null()) } });
    expect(table).toEqual({ a: { b: 'a.b', onC: 'a.onC' } });
  });

  it('names events onX (STYLE.md rule 4) and methods otherwise', () => {
    for (const [service, members] of Object.entries(contract)) {
      for (const [name, spec] of Object.entries(members)) {
        expect(spec.kind === 'event', `${service}.${name}`).toBe(/^on[A-Z]/.test(name));
      }
    }
  });

  it('looks up channels without reaching into prototypes', () => {
    expect(lookup(contract, 'host.info')?.kind).toBe('method');
    expect(lookup(contract, 'host.onDidLog')?.kind).toBe('event');
    for (const bad of ['host', 'host.', '.info', 'host.nope', 'toString.call', 'host.constructor', '__proto__.x']) {
      expect(lookup(contract, bad), bad).toBeUndefined();
    }
  });

  it('HostInfo accepts a browser-mode host and refuses an unknown mode', () => {
    const info = { appName: 'Loopwright', appVersion: '0.1.0', mode: 'browser', node: '20.20.2', electron: null, chrome: null, platform: 'linux', arch: 'x64' };
    expect(HostInfoSchema.parse(info)).toEqual(info);
    expect(HostInfoSchema.safeParse({ ...info, mode: 'tui' }).success).toBe(false);
    expect(HostInfoSchema.safeParse({ ...info, electron: undefined }).success).toBe(false);
  });

  it('the wire schema accepts calls and subscriptions and refuses malformed messages', () => {
    expect(ToHostSchema.safeParse({ t: 'call', id: 1, channel: 'host.info', args: [] }).success).toBe(true);
    expect(ToHostSchema.safeParse({ t: 'subscribe', channel: 'host.onDidLog' }).success).toBe(true);
    expect(ToHostSchema.safeParse({ t: 'call', id: 1.5, channel: 'host.info', args: [] }).success).toBe(false);
    expect(ToHostSchema.safeParse({ t: 'call', id: 1, channel: 'host.info' }).success).toBe(false);
    expect(ToHostSchema.safeParse({ t: 'result', id: 1 }).success).toBe(false);
  });
});
