import type { ContractSpec, ApiOf, Disposable } from './define';
import { IpcError, type RendererLink, type ToRenderer } from './wire';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Optional trailing arguments left out by the caller arrive as `undefined`, which JSON turns into
 * `null` inside an array; dropping them keeps `f(a)` and `f(a, undefined)` the same call.
 */
function withoutTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return end === args.length ? args : args.slice(0, end);
}

/**
 * Builds the typed API object of a contract over a message link. The Electron preload builds it
 * over ipcRenderer and the browser-mode client over a WebSocket, so components never know which.
 * Subscriptions are reference-counted per channel: the host is told once, however many listeners.
 */
export function createClient<C extends ContractSpec>(contract: C, link: RendererLink): ApiOf<C> {
  let nextId = 1;
  let closedReason: string | undefined;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  link.onMessage((message: ToRenderer) => {
    if (message.t === 'result') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(new IpcError(message.error.code, message.error.message, message.error.issues));
    } else if (message.t === 'event') {
      for (const listener of [...(listeners.get(message.channel) ?? [])]) listener(message.payload);
    }
  });
  link.onClose?.((reason) => {
    closedReason = reason;
    for (const call of pending.values()) call.reject(new IpcError('disconnected', reason));
    pending.clear();
  });

  const call = (channel: string, args: unknown[]): Promise<unknown> => {
    if (closedReason !== undefined) return Promise.reject(new IpcError('disconnected', closedReason));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      link.send({ t: 'call', id, channel, args });
    });
  };

  const subscribe = (channel: string, listener: (payload: unknown) => void): Disposable => {
    let set = listeners.get(channel);
    if (!set) {
      set = new Set();
      listeners.set(channel, set);
      link.send({ t: 'subscribe', channel });
    }
    // A wrapper per subscription, so subscribing the same function twice needs two disposals.
    const entry = (payload: unknown) => listener(payload);
    set.add(entry);
    let disposed = false;
    return {
      dispose() {
        if (disposed) return;
        disposed = true;
        set.delete(entry);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          if (closedReason === undefined) link.send({ t: 'unsubscribe', channel });
        }
      },
    };
  };

  const api: Record<string, Record<string, unknown>> = {};
  for (const [service, members] of Object.entries(contract)) {
    const target: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(members)) {
      const channel = `${service}.${name}`;
      target[name] =
        spec.kind === 'method'
          ? (...args: unknown[]) => call(channel, withoutTrailingUndefined(args))
          : (listener: (payload: unknown) => void) => subscribe(channel, listener);
    }
    api[service] = target;
  }
  return api as ApiOf<C>;
}
