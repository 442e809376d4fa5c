import type { RunDetail } from '../../../shared/runs/run';
import type { ScenarioLanguage } from './languages';

/** The detail levels in the toolbar's order, with what each one keeps. */
export const RUN_DETAILS: readonly { value: RunDetail; label: string; title: string; pythonOnly?: true }[] = [
  { value: 'full', label: 'Full', title: 'Every callback and every byte of traffic (the terminal shows the bytes)' },
  { value: 'callbacks', label: 'No payloads', title: 'Every callback; traffic is counted but its bytes are not captured, so neither the terminal nor a recording holds them' },
  { value: 'tasks', label: 'Tasks only', title: "A Python program's task steps only: no handles, no payloads (the lightest observation)", pythonOnly: true },
];

/**
 * The level a run of this language gets: a TypeScript scenario's worker has no tasks-only mode,
 * so there the nearest lighter level (no payloads) stands in for it.
 */
export function detailFor(detail: RunDetail, language: ScenarioLanguage): RunDetail {
  return detail === 'tasks' && language !== 'python' ? 'callbacks' : detail;
}
