import { describe, expect, it } from 'vitest';
import { RunRequestSchema } from './run';

describe('RunRequestSchema', () => {
  const scenario = { location: 'library', path: 'hello-world.py' } as const;

  it('observes everything when no detail level is asked for', () => {
    expect(RunRequestSchema.parse({ scenario }).detail).toBe('full');
  });

  it('takes the three detail levels and refuses others', () => {
    for (const detail of ['full', 'callbacks', 'tasks'] as const) expect(RunRequestSchema.parse({ scenario, detail }).detail).toBe(detail);
    expect(RunRequestSchema.safeParse({ scenario, detail: 'everything' }).success).toBe(false);
  });
});
