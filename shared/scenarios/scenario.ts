import { z } from 'zod';

/** Which clock a run uses: real (monotonic) or virtual (jumps to the next timer when idle). */
export const ClockKindSchema = z.enum(['real', 'virtual']);
export type ClockKind = z.infer<typeof ClockKindSchema>;

/** The optional `export const meta` of a scenario file. */
export const ScenarioMetaSchema = z.object({
  title: z.string().min(1),
  description: z.string().default(''),
  clock: ClockKindSchema.default('real'),
  /** The exact stdout the scenario prints; `loopwright check` compares against it. */
  expectedOutput: z.string().optional(),
});
export type ScenarioMeta = z.infer<typeof ScenarioMetaSchema>;

/** Where a scenario lives: the read-only bundled library or the user's workspace folder. */
export const ScenarioLocationSchema = z.enum(['library', 'workspace']);
export type ScenarioLocation = z.infer<typeof ScenarioLocationSchema>;

/**
 * A scenario's address: its location and a relative path with forward slashes. Paths are checked
 * again on the host; this schema only refuses what is never valid anywhere.
 */
export const ScenarioRefSchema = z.object({
  location: ScenarioLocationSchema,
  path: z
    .string()
    .min(1)
    .max(512)
    .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.includes('\0'), 'must be a relative path with forward slashes')
    .refine((p) => p.split('/').every((part) => part !== '..' && part !== '.' && part !== ''), 'must not contain "..", "." or empty parts'),
});
export type ScenarioRef = z.infer<typeof ScenarioRefSchema>;

/** A scenario in a listing. */
export const ScenarioEntrySchema = z.object({
  ref: ScenarioRefSchema,
  title: z.string(),
  description: z.string(),
  clock: ClockKindSchema,
  language: z.enum(['typescript', 'javascript', 'python']),
  readOnly: z.boolean(),
});
export type ScenarioEntry = z.infer<typeof ScenarioEntrySchema>;

/** File endings a scenario may have (`.py`: a Python asyncio program, run in the user's interpreter). */
export const SCENARIO_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.py'] as const;

/** The language of a scenario file by its ending, or undefined when it is not a scenario. */
export function languageOf(path: string): ScenarioEntry['language'] | undefined {
  if (path.endsWith('.ts') || path.endsWith('.mts')) return path.endsWith('.d.ts') ? undefined : 'typescript';
  if (path.endsWith('.js') || path.endsWith('.mjs')) return 'javascript';
  if (path.endsWith('.py')) return 'python';
  return undefined;
}
