import type { LoopwrightServices } from '../../../shared/ipc/contract';
import type { ScenarioStore } from '../scenarios/scenario-store';

/** The `scenarios` service: the explorer's and editor's view of the scenario store. */
export function createScenariosService(store: ScenarioStore): LoopwrightServices['scenarios'] {
  return {
    list: () => store.list(),
    folders: () => ({ library: store.root('library'), workspace: store.root('workspace') }),
    read: async (ref) => {
      const file = await store.read(ref);
      return { entry: file.entry, source: file.source, ...(file.metaProblem ? { metaProblem: file.metaProblem } : {}) };
    },
    write: (ref, source) => store.write(ref, source),
    create: (ref, source) => store.create(ref, source),
    rename: (ref, newPath) => store.rename(ref, newPath),
    delete: async (ref) => {
      await store.delete(ref);
      return null;
    },
  };
}
