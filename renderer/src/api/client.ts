import { contract, type LoopwrightApi } from '../../../shared/ipc/contract';
import { createClient } from '../../../shared/ipc/client';
import { createWebSocketLink } from './websocket-link';

let socketApi: LoopwrightApi | undefined;
const disconnectListeners = new Set<(reason: string) => void>();

/**
 * The typed host API. In Electron it is the preload's `window.loopwright`; in browser mode a client
 * with the same interface over a WebSocket. Stores use this and nothing else (STYLE.md rule 9).
 */
export function useApi(): LoopwrightApi {
  if (window.loopwright) return window.loopwright;
  if (!socketApi) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const link = createWebSocketLink(`${scheme}//${location.host}/ipc`);
    link.onClose?.((reason) => disconnectListeners.forEach((listener) => listener(reason)));
    socketApi = createClient(contract, link);
  }
  return socketApi;
}

/** Tells when the link to the host goes away (browser mode: the host process stopped). */
export function onDisconnect(listener: (reason: string) => void): () => void {
  disconnectListeners.add(listener);
  return () => disconnectListeners.delete(listener);
}
