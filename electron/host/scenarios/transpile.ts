import { build, type Message } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where in the scenario's own source a problem is. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  lineText?: string;
}

/** A scenario that does not compile: reported before anything runs. */
export class ScenarioSyntaxError extends Error {
  override readonly name = 'ScenarioSyntaxError';
  constructor(
    message: string,
    readonly location: SourceLocation | undefined,
    readonly all: readonly { message: string; location?: SourceLocation }[],
  ) {
    super(location ? `${location.file}:${location.line}:${location.column}: ${message}` : message);
  }
}

/** Options of {@link transpileScenario}. */
export interface TranspileOptions {
  /** The scenario's text. */
  source: string;
  /** Its absolute path (shown in errors and stack traces; relative imports resolve from its folder). */
  file: string;
  /** Absolute path of the ESM engine bundle that `import … from 'loopwright'` resolves to. */
  engineModule: string;
  /** Absolute path the output will be written to, so the source map's paths resolve from there. */
  outFile: string;
}

function toLocation(message: Message, workingDir: string): SourceLocation | undefined {
  const l = message.location;
  // esbuild names files relative to its working folder, and counts columns from 0; editors and
  // stack traces use absolute paths and count from 1.
  return l ? { file: path.resolve(workingDir, l.file), line: l.line, column: l.column + 1, lineText: l.lineText } : undefined;
}

/**
 * Compiles a TypeScript or JavaScript scenario into one ESM module with an inline source map, so
 * that stack traces name the scenario's own file, line and column. Relative imports are bundled
 * in; `loopwright` stays an import of the engine bundle, so the scenario shares the engine
 * instance of the worker that runs it. Other packages and node:* stay external.
 */
export async function transpileScenario(options: TranspileOptions): Promise<string> {
  const loader = /\.[mc]?js$/.test(options.file) ? 'js' : 'ts';
  const workingDir = path.dirname(options.file);
  try {
    const result = await build({
      absWorkingDir: workingDir,
      stdin: { contents: options.source, sourcefile: options.file, resolveDir: path.dirname(options.file), loader },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      outfile: options.outFile,
      sourcemap: 'inline',
      sourcesContent: true,
      logLevel: 'silent',
      packages: 'external',
      plugins: [
        {
          name: 'loopwright-engine',
          setup(b) {
            b.onResolve({ filter: /^loopwright$/ }, () => ({ path: pathToFileURL(options.engineModule).href, external: true }));
          },
        },
      ],
      // Type-only imports of the engine's declarations must not survive into the output.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false, preserveValueImports: false } },
    });
    return result.outputFiles[0].text;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors || errors.length === 0) throw error;
    const all = errors.map((e) => ({ message: e.text, location: toLocation(e, workingDir) }));
    throw new ScenarioSyntaxError(errors[0].text, all[0].location, all);
  }
}
