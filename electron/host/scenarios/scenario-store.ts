import type { Dirent } from 'node:fs';
import { mkdir, readFile, readdir, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  languageOf,
  type ScenarioEntry,
  type ScenarioLocation,
  type ScenarioMeta,
  type ScenarioRef,
} from '../../../shared/scenarios/scenario';
import { writeFileAtomic } from './atomic-write';
import { readPythonMeta } from '../python/python-meta';
import { readMeta } from './meta';

/** Why a scenario operation was refused; the message says it in a sentence. */
export class ScenarioStoreError extends Error {
  override readonly name = 'ScenarioStoreError';
  constructor(
    readonly code: 'not-found' | 'exists' | 'read-only' | 'outside' | 'not-a-scenario' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

/** A scenario's text and what the listing knows of it. */
export interface ScenarioFile {
  entry: ScenarioEntry;
  source: string;
  /** The absolute path on disk (the runner resolves relative imports from here). */
  file: string;
  meta: ScenarioMeta | undefined;
  /** Why the meta could not be read, when it could not. */
  metaProblem?: string;
}

/** Larger files are not scenarios anyone typed; refusing them keeps the IPC messages bounded. */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
const MAX_DEPTH = 4;

/** The template a new workspace scenario starts from. */
export const NEW_SCENARIO_TEMPLATE = `import { getEventLoop } from 'loopwright';

export const meta = {
  title: 'New scenario',
  description: 'What this scenario shows.',
  clock: 'virtual',
};

const loop = getEventLoop();
loop.callSoon(() => {
  console.log('Hello from the loop');
  loop.stop();
});
await loop.runForever();
`;

/** The template a new workspace Python program starts from (the `# meta:` block is read as a scenario's meta). */
export const NEW_PYTHON_SCENARIO_TEMPLATE = `# meta:
#   title: New Python program
#   description: What this program shows.
#   clock: real
import asyncio


def hello(loop):
    print('Hello from the loop')
    loop.stop()


loop = asyncio.new_event_loop()
loop.call_soon(hello, loop)
loop.run_forever()
loop.close()
`;

function isScenarioFile(name: string): boolean {
  return languageOf(name) !== undefined && !/\.(test|spec)\.[mc]?[jt]s$/.test(name) && !/^(test_.*|.*_test|conftest|__init__)\.py$/.test(name) && !name.startsWith('.');
}

/**
 * The scenarios of the bundled library (read-only) and of the user's workspace folder. Every path
 * from outside is resolved inside its root, symbolic links included, before it is touched.
 */
export class ScenarioStore {
  constructor(
    private readonly roots: { library: string; workspace: string },
  ) {}

  /** The folder of a location. */
  root(location: ScenarioLocation): string {
    return this.roots[location];
  }

  /** Every scenario of both places, library first, each sorted by path. */
  async list(): Promise<ScenarioEntry[]> {
    await mkdir(this.roots.workspace, { recursive: true });
    const entries: ScenarioEntry[] = [];
    for (const location of ['library', 'workspace'] as const) {
      const files = await this.walk(this.roots[location], '', 0);
      for (const rel of files.sort()) {
        const ref = { location, path: rel };
        try {
          entries.push((await this.read(ref)).entry);
        } catch {
          // A file that vanished or grew too large between the walk and the read is left out.
        }
      }
    }
    return entries;
  }

  /** Reads one scenario. */
  async read(ref: ScenarioRef): Promise<ScenarioFile> {
    const file = await this.resolve(ref);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      throw new ScenarioStoreError('not-found', `no scenario at ${ref.location}/${ref.path}`);
    }
    if (size > MAX_SOURCE_BYTES) throw new ScenarioStoreError('too-large', `${ref.path} is larger than 2 MiB`);
    const source = await readFile(file, 'utf8');
    // A Python scenario keeps its meta in a `# meta:` comment block (electron/host/python/python-meta.ts).
    const meta = ref.path.endsWith('.py') ? readPythonMeta(source) : readMeta(source);
    const fallbackTitle = path.basename(ref.path).replace(/\.([mc]?[jt]s|py)$/, '').replace(/[-_]+/g, ' ');
    const m = meta.ok ? meta.meta : undefined;
    return {
      file,
      source,
      meta: m,
      ...(meta.ok ? {} : { metaProblem: meta.reason }),
      entry: {
        ref,
        title: m?.title ?? fallbackTitle,
        description: m?.description ?? '',
        clock: m?.clock ?? 'real',
        language: languageOf(ref.path) ?? 'typescript',
        readOnly: ref.location === 'library',
      },
    };
  }

  /** Replaces a workspace scenario's text, atomically. */
  async write(ref: ScenarioRef, source: string): Promise<ScenarioEntry> {
    this.checkWritable(ref);
    if (Buffer.byteLength(source) > MAX_SOURCE_BYTES) throw new ScenarioStoreError('too-large', 'a scenario must be smaller than 2 MiB');
    const file = await this.resolve(ref);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, source);
    return (await this.read(ref)).entry;
  }

  /** Creates a workspace scenario from its language's template (or the given text); refuses to overwrite. */
  async create(ref: ScenarioRef, source = languageOf(ref.path) === 'python' ? NEW_PYTHON_SCENARIO_TEMPLATE : NEW_SCENARIO_TEMPLATE): Promise<ScenarioEntry> {
    this.checkWritable(ref);
    const file = await this.resolve(ref);
    await mkdir(path.dirname(file), { recursive: true });
    try {
      await writeFile(file, source, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ScenarioStoreError('exists', `${ref.path} already exists`);
      throw error;
    }
    return (await this.read(ref)).entry;
  }

  /** Renames a workspace scenario; refuses to replace another file. */
  async rename(ref: ScenarioRef, newPath: string): Promise<ScenarioEntry> {
    this.checkWritable(ref);
    const to: ScenarioRef = { location: ref.location, path: newPath };
    this.checkWritable(to);
    const [fromFile, toFile] = [await this.resolve(ref), await this.resolve(to)];
    if (!(await exists(fromFile))) throw new ScenarioStoreError('not-found', `no scenario at ${ref.path}`);
    if (await exists(toFile)) throw new ScenarioStoreError('exists', `${newPath} already exists`);
    await mkdir(path.dirname(toFile), { recursive: true });
    await rename(fromFile, toFile);
    return (await this.read(to)).entry;
  }

  /** Deletes a workspace scenario. */
  async delete(ref: ScenarioRef): Promise<void> {
    this.checkWritable(ref);
    const file = await this.resolve(ref);
    try {
      await unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ScenarioStoreError('not-found', `no scenario at ${ref.path}`);
      throw error;
    }
  }

  /**
   * The absolute path of a ref, refused when it would leave its root: `..`, absolute paths, and
   * symbolic links (of the file or of a folder on the way) that point outside.
   */
  async resolve(ref: ScenarioRef): Promise<string> {
    const root = path.resolve(this.roots[ref.location]);
    const file = path.resolve(root, ref.path);
    const inside = (p: string, r: string) => p.startsWith(r + path.sep);
    if (!inside(file, root) || ref.path.split('/').includes('..')) {
      throw new ScenarioStoreError('outside', `${ref.path} is outside the ${ref.location} folder`);
    }
    if (!isScenarioFile(path.basename(file))) {
      throw new ScenarioStoreError('not-a-scenario', `${ref.path} is not a scenario file (.ts, .mts, .js, .mjs or .py)`);
    }
    // Resolve links on the deepest part that exists: the file itself, or the folder it goes in.
    const realRoot = await realpath(root).catch(() => root);
    let probe = file;
    for (;;) {
      try {
        const real = await realpath(probe);
        if (real !== realRoot && !inside(real, realRoot)) {
          throw new ScenarioStoreError('outside', `${ref.path} leads outside the ${ref.location} folder`);
        }
        break;
      } catch (error) {
        if (error instanceof ScenarioStoreError) throw error;
        const parent = path.dirname(probe);
        if (parent === probe || !inside(parent, root)) break;
        probe = parent;
      }
    }
    return file;
  }

  private checkWritable(ref: ScenarioRef): void {
    if (ref.location === 'library') {
      throw new ScenarioStoreError('read-only', 'the library is read-only: copy the example to your workspace to change it');
    }
  }

  private async walk(root: string, rel: string, depth: number): Promise<string[]> {
    let names: Dirent[];
    try {
      names = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      return [];
    }
    const found: string[] = [];
    for (const d of names) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory() && depth < MAX_DEPTH && !d.name.startsWith('.') && d.name !== 'node_modules') {
        found.push(...(await this.walk(root, child, depth + 1)));
      } else if (d.isFile() && isScenarioFile(d.name)) {
        found.push(child);
      }
    }
    return found;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
