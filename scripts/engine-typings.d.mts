/** Options of the engine typings generator; paths are relative to `root` (the repository by default). */
export interface EngineTypingsOptions {
  root?: string;
  entry?: string;
  tsconfig?: string;
  out?: string;
}

/** What the generator produced. */
export interface EngineTypings {
  /** The declaration text: ambient modules, `loopwright` last. */
  text: string;
  /** Problems that degrade the editor's types without breaking them (e.g. Node types typed `any`). */
  warnings: string[];
  /** Export names of the engine's entry. */
  exports: string[];
  /** The ambient module names, in the order of the text. */
  modules: string[];
}

/** Why the declarations could not be generated. */
export class EngineTypingsError extends Error {
  readonly details: string[];
}

export const MODULE_NAME: 'loopwright';
export const DEFAULTS: { entry: string; tsconfig: string; out: string };
export function generateEngineTypings(options?: EngineTypingsOptions): EngineTypings;
export function writeEngineTypings(options?: EngineTypingsOptions): EngineTypings & { out: string; changed: boolean };
