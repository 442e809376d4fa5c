import type { ScenarioEntry } from '../../../shared/scenarios/scenario';

/** A scenario's language. */
export type ScenarioLanguage = ScenarioEntry['language'];

/** How each language is named: a two-letter badge for rows and tabs, and in full. */
const NAMES: Record<ScenarioLanguage, { badge: string; name: string }> = {
  typescript: { badge: 'TS', name: 'TypeScript' },
  javascript: { badge: 'JS', name: 'JavaScript' },
  python: { badge: 'PY', name: 'Python' },
};

/** The badge of a language ("TS", "JS", "PY"). */
export const languageBadge = (language: ScenarioLanguage): string => NAMES[language].badge;

/** The full name of a language ("Python"). */
export const languageName = (language: ScenarioLanguage): string => NAMES[language].name;
