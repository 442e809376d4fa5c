import { Channels, contract, type Contract, type HostLogEntry } from '../../shared/ipc/contract';
import { Router } from './router';
import { ScenarioStore } from './scenarios/scenario-store';
import { createHostService, type HostIdentity } from './services/host-service';
import { createScenariosService } from './services/scenarios-service';
import { RunManager } from './runs/run-manager';
import { createRunsService } from './services/runs-service';
import { RecordingsStore } from './recording/recordings-store';
import { createRecordingsService } from './services/recordings-service';

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
  /**
   * The bundled example library, the user's workspace folder and the recordings folder. Without
   * a recordings folder, runs are not recorded and the history is empty.
   */
  folders: { library: string; workspace: string; recordings?: string };
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
  const publish = (channel: string, payload: unknown) => router.publish(channel, payload);
  const recordingsStore = new RecordingsStore(options.folders.recordings ?? '');
  const recording = options.folders.recordings
    ? { store: recordingsStore, appVersion: options.identity.appVersion, platform: `${options.identity.platform} ${options.identity.arch}` }
    : undefined;
  const runs = createRunsService(store, new RunManager(options.engineDir), publish, recording);
  const recordings = createRecordingsService(recordingsStore, publish);
  const router: Router<Contract> = new Router(
    contract,
    { host: createHostService(options.identity), scenarios: createScenariosService(store), runs, recordings },
    log,
  );
  return {
    router,
    dispose: () => runs.dispose(),
  };
}
