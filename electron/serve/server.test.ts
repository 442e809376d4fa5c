import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../shared/ipc/client';
import type { RendererLink, ToRenderer } from '../../shared/ipc/wire';
import { describeIpcSuite, suiteContract } from '../host/testing/ipc-suite';
import { suiteRouter } from '../host/testing/ipc-suite';
import { ListenError, startServer, type RunningServer } from './server';

const TOKEN = 'test-token-0123456789';
let rendererDir: string;

beforeAll(() => {
  rendererDir = mkdtempSync(path.join(tmpdir(), 'loopwright-renderer-'));
  mkdirSync(path.join(rendererDir, 'assets'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Loopwright</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(path.dirname(rendererDir), 'loopwright-secret.txt'), 'secret');
});
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

/** A WebSocket link as the renderer's, but over the `ws` client (Node 20 has no global WebSocket). */
function wsLink(url: string, headers: Record<string, string>): Promise<{ link: RendererLink; socket: WebSocket }> {
  const socket = new WebSocket(url, { headers });
  let handler: ((m: ToRenderer) => void) | undefined;
  socket.on('message', (data) => handler?.(JSON.parse(data.toString()) as ToRenderer));
  const link: RendererLink = {
    send: (m) => socket.send(JSON.stringify(m)),
    onMessage: (h) => (handler = h),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ link, socket }));
    socket.once('error', reject);
  });
}

/** Opens a WebSocket upgrade and reports the HTTP status it was refused with (or 101). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', () => {});
  });
}

describeIpcSuite('the browser-mode WebSocket bridge', async (router) => {
  const server = await startServer({ router, rendererDir, port: 0, token: TOKEN });
  const origin = `http://127.0.0.1:${server.port}`;
  const { link, socket } = await wsLink(`ws://127.0.0.1:${server.port}/ipc?token=${TOKEN}`, { Origin: origin });
  return {
    api: createClient(suiteContract, link),
    close: async () => {
      socket.close();
      await server.close();
    },
  };
});

describe('browser-mode server', () => {
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    server = await startServer({ router: suiteRouter().router, rendererDir, port: 0, token: TOKEN });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  it('binds to 127.0.0.1 only and prints a URL with the token', () => {
    expect(server.url).toBe(`${base}/?token=${TOKEN}`);
  });

  it('serves the page with the token and sets a HttpOnly SameSite cookie for later requests', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Loopwright</title>');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^loopwright_token_${server.port}=${TOKEN};`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const asset = await fetch(`${base}/assets/app.js`, { headers: { Cookie: `loopwright_token_${server.port}=${TOKEN}` } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
  });

  it('refuses a request without the token with 401 and a wrong token with 403', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(403);
    expect((await fetch(`${base}/`, { headers: { Cookie: `loopwright_token_${server.port}=wrong` } })).status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => {
        socket.write(`GET /?token=${TOKEN} HTTP/1.1\r\nHost: evil.example:${server.port}\r\nConnection: close\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(Number(text.split(' ')[1])));
    });
    expect(status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const cookie = { Cookie: `loopwright_token_${server.port}=${TOKEN}` };
    for (const p of ['/../loopwright-secret.txt', '/%2e%2e/loopwright-secret.txt', '/assets/%2e%2e%2f%2e%2e%2floopwright-secret.txt']) {
      const res = await fetch(`${base}${p}`, { headers: cookie });
      expect(res.status, p).toBe(404);
    }
  });

  it('answers /favicon.ico with 204 so Chromium logs no error', async () => {
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(204);
  });

  it('refuses a WebSocket without the token (401), with a wrong one (403), or from another Origin (403)', async () => {
    const ipc = `ws://127.0.0.1:${server.port}/ipc`;
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await upgradeStatus(ipc, { Origin: origin })).toBe(401);
    expect(await upgradeStatus(`${ipc}?token=wrong`, { Origin: origin })).toBe(403);
    expect(await upgradeStatus(`${ipc}?token=${TOKEN}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(`${ipc}?token=${TOKEN}`, {})).toBe(403);
    expect(await upgradeStatus(ipc, { Origin: origin, Cookie: `loopwright_token_${server.port}=${TOKEN}` })).toBe(101);
  });

  it('answers a malformed WebSocket message with a bad-message error and keeps the connection', async () => {
    const { link, socket } = await wsLink(`ws://127.0.0.1:${server.port}/ipc?token=${TOKEN}`, { Origin: `http://127.0.0.1:${server.port}` });
    const received: ToRenderer[] = [];
    socket.on('message', (data) => received.push(JSON.parse(data.toString()) as ToRenderer));
    socket.send('not json');
    const api = createClient(suiteContract, link);
    // Messages are answered in order, so the error arrived before the call's result.
    await expect(api.math.add(1, 1)).resolves.toBe(2);
    expect(received).toContainEqual({ t: 'error', error: expect.objectContaining({ code: 'bad-message' }) });
    socket.close();
  });

  it('says in one line when the port is in use', async () => {
    const error = await startServer({ router: suiteRouter().router, rendererDir, port: server.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListenError);
    expect((error as ListenError).code).toBe('EADDRINUSE');
    expect((error as Error).message).toBe(`port ${server.port} on 127.0.0.1 is already in use; pick another with --port <n>, or --port 0 for any free port`);
  });
});

describe('browser-mode downloads of recording exports', () => {
  let server: RunningServer;
  let base: string;
  let exportsDir: string;
  const cookie = () => ({ Cookie: `loopwright_token_${server.port}=${TOKEN}` });
  beforeAll(async () => {
    const recordings = mkdtempSync(path.join(tmpdir(), 'loopwright-recordings-'));
    exportsDir = path.join(recordings, 'exports');
    mkdirSync(exportsDir);
    writeFileSync(path.join(exportsDir, 'echo-1.pcapng'), Buffer.from([0x0a, 0x0d, 0x0d, 0x0a, 1, 2, 3, 4]));
    writeFileSync(path.join(exportsDir, 'echo-1.cast'), '{"version": 2}\n');
    writeFileSync(path.join(exportsDir, 'échos du "lundi".trace.json'), '[]');
    writeFileSync(path.join(recordings, 'secret.lwrec'), 'not for download');
    server = await startServer({ router: suiteRouter().router, rendererDir, port: 0, token: TOKEN, exportsDir });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    rmSync(path.dirname(exportsDir), { recursive: true, force: true });
  });

  it('sends an export as an attachment with its content type, to a request with the token', async () => {
    const res = await fetch(`${base}/exports/echo-1.pcapng`, { headers: cookie() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.tcpdump.pcap');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="echo-1.pcapng"; filename*=UTF-8''echo-1.pcapng`);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0x0a, 0x0d, 0x0d, 0x0a, 1, 2, 3, 4]);
    const cast = await fetch(`${base}/exports/echo-1.cast?token=${TOKEN}`);
    expect(cast.headers.get('content-type')).toBe('application/x-asciicast');
    // A renamed recording's export keeps its name, spaces, quotes and accents included.
    const named = await fetch(`${base}/exports/${encodeURIComponent('échos du "lundi".trace.json')}`, { headers: cookie() });
    expect(named.status).toBe(200);
    expect(named.headers.get('content-type')).toBe('application/json');
    expect(named.headers.get('content-disposition')).toBe(`attachment; filename="_chos du _lundi_.trace.json"; filename*=UTF-8''%C3%A9chos%20du%20%22lundi%22.trace.json`);
  });

  it('refuses a download without the token (401) and answers 404 for an unknown export', async () => {
    expect((await fetch(`${base}/exports/echo-1.pcapng`)).status).toBe(401);
    expect((await fetch(`${base}/exports/nothing.pcapng`, { headers: cookie() })).status).toBe(404);
  });

  it('refuses names that leave the exports folder or hide (.., slashes, encoded or not, dot files)', async () => {
    for (const p of ['/exports/%2e%2e%2fsecret.lwrec', '/exports/..%2fsecret.lwrec', '/exports/..%5csecret.lwrec', '/exports/.hidden', '/exports/a%5c..%5csecret.lwrec', '/exports/']) {
      expect((await fetch(`${base}${p}`, { headers: cookie() })).status, p).toBe(404);
    }
    // A raw request line keeps its `..` (fetch would normalise it away).
    const status = await new Promise<number>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => {
        socket.write(`GET /exports/../secret.lwrec HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nCookie: loopwright_token_${server.port}=${TOKEN}\r\nConnection: close\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(Number(text.split(' ')[1])));
    });
    expect(status).toBe(404);
  });
});
