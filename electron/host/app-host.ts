import { Channels, contract, type Contract, type HostLogEntry } from '../../shared/ipc/contract';
import { Router } from './router';
import { ScenarioStore } from './scenarios/scenario-store';
import { createHostService, type HostIdentity } from './services/host-service';
import { createScenariosService } from './services/scenarios-service';

/** The host of one app instance: the router with every service, shared by both run modes. */
export interface AppHost {
  readonly router: Router<Contract>;
  /** Releases what the services hold. */
  dispose(): void;
}

/** Options of {@link createAppHost}. */
export interface AppHostOptions {
  identity: HostIdentity;
  /** Where log lines also go (the terminal that started the host); defaults to stderr. */
  log?: (entry: HostLogEntry) => void;
  /** The bundled example library and the user's workspace folder. */
  folders: { library: string; workspace: string };
}

/** Creates the host: services, router, and the log that refused calls go to. */
export function createAppHost(options: AppHostOptions): AppHost {
  const sink = options.log ?? ((entry: HostLogEntry) => process.stderr.write(`[loopwright] ${entry.level}: ${entry.message}\n`));
  // The log publishes through the router it is given to; it is only called once calls arrive.
  const log = (level: HostLogEntry['level'], message: string) => {
    const entry: HostLogEntry = { level, message, time: Date.now() };
    sink(entry);
    router.publish(Channels.host.onDidLog, entry);
  };
  const store = new ScenarioStore(options.folders);
  const router: Router<Contract> = new Router(
    contract,
    { host: createHostService(options.identity), scenarios: createScenariosService(store) },
    log,
  );
  return {
    router,
    dispose() {},
  };
}
