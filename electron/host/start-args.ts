/** The options of `npm start`, shared by the launcher and browser mode. */
export interface StartArgs {
  /** Force browser mode even where the Electron binary exists. */
  browser: boolean;
  /** Port for browser mode; 0 means any free port. */
  port: number;
  help: boolean;
}

/** The usage text of `npm start`. */
export const START_USAGE = `Usage: npm start -- [--browser] [--port <n>]

  --browser     serve the workbench to a browser on 127.0.0.1 even if Electron is installed
  --port <n>    port for browser mode (default 0: any free port)
  --help        show this help`;

/** Raised for a bad command line; the message is one line for the user. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses `npm start` arguments; unknown flags and bad ports are usage errors. */
export function parseStartArgs(argv: readonly string[]): StartArgs {
  const args: StartArgs = { browser: false, port: 0, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--browser') args.browser = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) {
        throw new UsageError(`--port needs a number from 0 to 65535, got ${value === undefined ? 'nothing' : `"${value}"`}`);
      }
      args.port = Number(value);
    } else {
      throw new UsageError(`unknown option "${arg}" (see --help)`);
    }
  }
  return args;
}
