import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import type { ToRenderer } from '../../shared/ipc/wire';
import type { RouterPeer } from '../host/router';
import { checkRequest, cookieName, newToken, type Verdict } from './auth';
import { attachmentHeader, EXPORTS_PATH, readExport } from './export-files';
import { readStatic } from './static-files';

/** The path of the WebSocket that carries the IPC contract. */
export const IPC_PATH = '/ipc';

/** Largest IPC message accepted from a browser (scenario sources fit many times over). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Options of {@link startServer}. */
/** What the bridge needs of the host: a way to connect a renderer (the Router does this). */
export interface PeerConnector {
  connect(send: (message: ToRenderer) => void, options?: { congested?: () => boolean }): RouterPeer;
}

/** A WebSocket whose unsent bytes exceed this is congested: streams coalesce or drop with a count. */
const CONGESTED_BYTES = 4 * 1024 * 1024;

export interface ServerOptions {
  router: PeerConnector;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks any free port. */
  port: number;
  /** Fixed token (tests); a random one by default. */
  token?: string;
  /** Where refused requests are reported. */
  log?: (message: string) => void;
  /** The recordings' exports folder, served for download under /exports/<name>. */
  exportsDir?: string;
}

/** A running browser-mode server. */
export interface RunningServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open, token included. */
  readonly url: string;
  close(): Promise<void>;
}

/** Raised when the port cannot be bound; carries a one-line message for the user. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const LOOPBACK = '127.0.0.1';

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

function refusalPage(verdict: Extract<Verdict, { ok: false }>): string {
  const hint =
    verdict.status === 401
      ? 'Open the address printed by <code>npm start</code>, token included.'
      : 'The token or address does not match this workbench. Open the address printed by <code>npm start</code>.';
  return `<!doctype html><meta charset="utf-8"><title>Loopwright</title><body style="font:15px system-ui;margin:3em"><h1>Loopwright</h1><p>${hint}</p></body>`;
}

/** Refuses a WebSocket upgrade with a plain HTTP status, as ws does. */
function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Browser mode: serves the built renderer and carries the typed IPC over a WebSocket, bound to
 * 127.0.0.1 only. Every HTTP request and upgrade needs the token (in the query, or in the cookie
 * set on the first visit) and the right Host; upgrades also need our own Origin.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const log = options.log ?? (() => {});
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = options.port;

  server.on('request', (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const verdict = checkRequest(req, { token, port }, 'http');
      if (!verdict.ok) {
        log(`refused ${req.method} ${url.pathname}: ${verdict.reason}`);
        res.writeHead(verdict.status, { 'Content-Type': 'text/html; charset=utf-8', ...securityHeaders() }).end(refusalPage(verdict));
        return;
      }
      if (url.pathname.startsWith(EXPORTS_PATH)) {
        const found = options.exportsDir === undefined ? undefined : await readExport(options.exportsDir, url.pathname.slice(EXPORTS_PATH.length));
        if (!found) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() }).end('Not found');
          return;
        }
        res.writeHead(200, {
          'Content-Type': found.type,
          'Content-Length': String(found.body.length),
          'Content-Disposition': attachmentHeader(found.name),
          'Cache-Control': 'no-store',
          ...securityHeaders(),
        });
        res.end(req.method === 'HEAD' ? undefined : found.body);
        return;
      }
      const file = await readStatic(options.rendererDir, url.pathname);
      if (!file) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() }).end('Not found');
        return;
      }
      const headers: Record<string, string> = {
        'Content-Type': file.type,
        'Content-Length': String(file.body.length),
        'Cache-Control': file.type.startsWith('text/html') ? 'no-store' : 'no-cache',
        ...securityHeaders(),
      };
      if (verdict.viaQuery) {
        headers['Set-Cookie'] = `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      }
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : file.body);
    })().catch((error: unknown) => {
      log(`request failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    if (url.pathname !== IPC_PATH) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    const verdict = checkRequest(req, { token, port }, 'websocket');
    if (!verdict.ok) {
      log(`refused WebSocket: ${verdict.reason}`);
      refuseUpgrade(socket, verdict.status, verdict.status === 401 ? 'Unauthorized' : 'Forbidden');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, options.router));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const code = error.code;
      const message =
        code === 'EADDRINUSE'
          ? `port ${options.port} on ${LOOPBACK} is already in use; pick another with --port <n>, or --port 0 for any free port`
          : code === 'EACCES'
            ? `no permission to listen on port ${options.port}; pick a port above 1023 with --port <n>, or --port 0`
            : `cannot listen on ${LOOPBACK}:${options.port}: ${error.message}`;
      reject(new ListenError(message, code));
    };
    server.once('error', onError);
    server.listen(options.port, LOOPBACK, () => {
      server.off('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Carries the wire protocol between one WebSocket and the router. */
function bridge(ws: WebSocket, router: PeerConnector): void {
  const peer = router.connect(
    (message: ToRenderer) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    { congested: () => ws.bufferedAmount > CONGESTED_BYTES },
  );
  ws.on('message', (data, isBinary) => {
    let raw: unknown;
    try {
      raw = JSON.parse(isBinary ? '' : data.toString());
    } catch {
      raw = undefined;
    }
    void peer.receive(raw);
  });
  ws.on('close', () => peer.dispose());
  ws.on('error', () => peer.dispose());
}
