import { Channels, contract, type Contract, type HostLogEntry } from '../../shared/ipc/contract';
import { Router } from './router';
import { ScenarioStore } from './scenarios/scenario-store';
import { createHostService, type HostIdentity } from './services/host-service';
import { createScenariosService } from './services/scenarios-service';
import { RunManager } from './runs/run-manager';
import { createRunsService } from './services/runs-service';

/** The host of one app instance: the router with every service, shared by both run modes. */
export interface AppHost {
  readonly router: Router<Contract>;
  /** Stops every run and releases what the services hold. */
  dispose(): Promise<void>;
}

/** Options of {@link createAppHost}. */
export interface AppHostOptions {
  identity: HostIdentity;
  /** Where log lines also go (the terminal that started the host); defaults to stderr. */
  log?: (entry: HostLogEntry) => void;
  /** The bundled example library and the user's workspace folder. */
  folders: { library: string; workspace: string };
  /** The built engine and scenario worker (out/engine). */
  engineDir: string;
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
  const runs = createRunsService(store, new RunManager(options.engineDir), (channel, payload) => router.publish(channel, payload));
  const router: Router<Contract> = new Router(
    contract,
    { host: createHostService(options.identity), scenarios: createScenariosService(store), runs },
    log,
  );
  return {
    router,
    dispose: () => runs.dispose(),
  };
}
