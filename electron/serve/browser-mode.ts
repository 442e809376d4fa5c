import path from 'node:path';
import { createAppHost } from '../host/app-host';
import { defaultFolders } from '../host/folders';
import { parseStartArgs, START_USAGE, UsageError } from '../host/start-args';
import { ListenError, startServer, type RunningServer } from './server';

declare const __APP_VERSION__: string;

/** The line `npm start` prints, the one a user (and the newcomer check) looks for. */
export function servingLine(url: string): string {
  return `Loopwright is serving at ${url}`;
}

/**
 * Runs the workbench in browser mode: the host under Node, the renderer served on 127.0.0.1.
 * Prints exactly one line on success; errors are one line on stderr and a non-zero exit code.
 */
export async function runBrowserMode(argv: readonly string[], appRoot = path.join(__dirname, '../..')): Promise<RunningServer | undefined> {
  const rendererDir = path.join(appRoot, 'out/renderer');
  let args;
  try {
    args = parseStartArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`Loopwright: ${error.message}\n${START_USAGE}\n`);
      process.exitCode = 2;
      return undefined;
    }
    throw error;
  }
  if (args.help) {
    process.stdout.write(`${START_USAGE}\n`);
    return undefined;
  }
  const folders = defaultFolders(appRoot);
  const host = createAppHost({
    identity: {
      appName: 'Loopwright',
      appVersion: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev',
      mode: 'browser',
      versions: { node: process.versions.node },
      platform: process.platform,
      arch: process.arch,
    },
    folders,
    engineDir: path.join(appRoot, 'out/engine'),
  });
  let server: RunningServer;
  try {
    server = await startServer({
      router: host.router,
      rendererDir,
      port: args.port,
      token: process.env.LOOPWRIGHT_TOKEN || undefined,
      exportsDir: path.join(folders.recordings, 'exports'),
      log: (message) => process.stderr.write(`[loopwright] ${message}\n`),
    });
  } catch (error) {
    if (error instanceof ListenError) {
      process.stderr.write(`Loopwright: ${error.message}\n`);
      process.exitCode = 1;
      await host.dispose();
      return undefined;
    }
    throw error;
  }
  process.stdout.write(`${servingLine(server.url)}\n`);
  const stop = () => {
    void Promise.all([server.close(), host.dispose()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
