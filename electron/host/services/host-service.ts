import type { HostInfo, RunMode } from '../../../shared/ipc/contract';

/** What the host knows about itself at start-up; the Electron bootstrap passes Electron's versions. */
export interface HostIdentity {
  appName: string;
  appVersion: string;
  mode: RunMode;
  versions: { node: string; electron?: string; chrome?: string };
  platform: string;
  arch: string;
}

/** The `host` service: identity of the running host. */
export function createHostService(identity: HostIdentity) {
  const info: HostInfo = {
    appName: identity.appName,
    appVersion: identity.appVersion,
    mode: identity.mode,
    node: identity.versions.node,
    electron: identity.versions.electron ?? null,
    chrome: identity.versions.chrome ?? null,
    platform: identity.platform,
    arch: identity.arch,
  };
  return {
    info: (): HostInfo => info,
  };
}
