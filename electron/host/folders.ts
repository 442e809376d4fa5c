import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where the scenarios and recordings live. The library ships beside the build (scenarios/examples
 * in the source tree, and in the packaged app's resources); the workspace defaults to
 * ~/Loopwright/scenarios and can be moved with LOOPWRIGHT_WORKSPACE; recordings default to
 * ~/Loopwright/recordings and can be moved with LOOPWRIGHT_RECORDINGS (test suites point both at
 * temporary folders so they never touch the user's).
 */
export function defaultFolders(appRoot: string, env: NodeJS.ProcessEnv = process.env): { library: string; workspace: string; recordings: string } {
  return {
    library: path.join(appRoot, 'scenarios', 'examples'),
    workspace: env.LOOPWRIGHT_WORKSPACE ? path.resolve(env.LOOPWRIGHT_WORKSPACE) : path.join(homedir(), 'Loopwright', 'scenarios'),
    recordings: env.LOOPWRIGHT_RECORDINGS ? path.resolve(env.LOOPWRIGHT_RECORDINGS) : path.join(homedir(), 'Loopwright', 'recordings'),
  };
}
