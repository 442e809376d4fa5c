// Electron bootstrap only: the window, its security settings, and ipcMain <-> host router.
// Everything else lives in the host, which browser mode runs the same way under plain Node.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, type IpcMainEvent, type WebContents } from 'electron';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { createAppHost } from './host/app-host';
import { defaultFolders } from './host/folders';
import type { RouterPeer } from './host/router';
import { readStatic } from './serve/static-files';
import { WIRE_CHANNEL } from '../shared/ipc/wire';

declare const __APP_VERSION__: string;

/** The renderer is loaded from this scheme, never from file:// (which would grant file access). */
const SCHEME = 'app';
const ORIGIN = `${SCHEME}://loopwright`;
const RENDERER_DIR = path.join(__dirname, '../renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// Refuse everything a page could try to open: navigation away, popups, webviews.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser, never in the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

const host = createAppHost({
  identity: {
    appName: 'Loopwright',
    appVersion: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : app.getVersion(),
    mode: 'electron',
    versions: { node: process.versions.node, electron: process.versions.electron, chrome: process.versions.chrome },
    platform: process.platform,
    arch: process.arch,
  },
  // Packaged, the examples ship as a resource beside the app's archive.
  folders: defaultFolders(app.isPackaged ? process.resourcesPath : app.getAppPath()),
  engineDir: path.join(__dirname, '../engine'),
});

const peers = new Map<number, RouterPeer>();

/** IPC is accepted only from the top frame of one of our windows, showing our own origin. */
function isTrustedSender(event: IpcMainEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  if (new URL(frame.url).origin !== ORIGIN) return false;
  return BrowserWindow.fromWebContents(event.sender) !== null;
}

function peerFor(contents: WebContents): RouterPeer {
  let peer = peers.get(contents.id);
  if (!peer) {
    peer = host.router.connect((message) => {
      if (!contents.isDestroyed()) contents.send(WIRE_CHANNEL, message);
    });
    peers.set(contents.id, peer);
    contents.once('destroyed', () => {
      peers.get(contents.id)?.dispose();
      peers.delete(contents.id);
    });
  }
  return peer;
}

// The single place ipcMain is touched (STYLE.md rule 6).
ipcMain.on(WIRE_CHANNEL, (event, message: unknown) => {
  if (!isTrustedSender(event)) {
    process.stderr.write(`[loopwright] warn: IPC refused from untrusted frame ${event.senderFrame?.url ?? '(gone)'}\n`);
    return;
  }
  void peerFor(event.sender).receive(message);
});

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    title: 'Loopwright',
    backgroundColor: '#1e1e1e',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // The renderer refuses to unload while an editor tab has unsaved changes (beforeunload); in a
  // browser the browser asks, in Electron we must: leaving loses the changes, staying keeps them.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: ['Close without saving', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'Some scenarios have unsaved changes.',
      detail: 'If you close the window now, the changes are lost.',
    });
    if (choice === 0) event.preventDefault();
  });
  void win.loadURL(`${ORIGIN}/index.html`);
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'loopwright' ? await readStatic(RENDERER_DIR, url.pathname) : undefined;
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'Content-Type': file.type, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
    });
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate([
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ]));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => void host.dispose());
