import type { RendererLink, ToHost, ToRenderer } from '../../../shared/ipc/wire';

/**
 * The browser-mode message link: the wire protocol over one WebSocket. Messages sent before the
 * socket opens are queued; the token travels in the cookie set when the page was loaded.
 */
export function createWebSocketLink(url: string): RendererLink {
  const socket = new WebSocket(url);
  const queue: string[] = [];
  let handler: ((message: ToRenderer) => void) | undefined;
  const closeHandlers: ((reason: string) => void)[] = [];

  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text);
  });
  socket.addEventListener('message', (event: MessageEvent<string>) => {
    let message: ToRenderer;
    try {
      message = JSON.parse(event.data) as ToRenderer;
    } catch {
      return;
    }
    handler?.(message);
  });
  socket.addEventListener('close', (event) => {
    const reason = event.reason || (event.code === 1006 ? 'the connection to the Loopwright host was lost' : `closed (${event.code})`);
    for (const h of closeHandlers) h(reason);
  });

  return {
    send(message: ToHost) {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.CONNECTING) queue.push(text);
      else if (socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    onMessage(h) {
      handler = h;
    },
    onClose(h) {
      closeHandlers.push(h);
    },
  };
}
