import { describe, expect, it } from 'vitest';
import { parseKlaxonFile } from '../../../src/core/config.ts';
import type { Override } from '../../../src/rotas/rota.ts';
import { Rotas } from '../../../src/rotas/rotas.ts';

const file = parseKlaxonFile(
  `
timezone: UTC
schedules:
  - id: primary
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-11-02, participants: [U01ALICE, U01BOB] }
`,
  'klaxon.yml',
);
const NOW = Date.UTC(2026, 10, 23, 12);

describe('Rotas', () => {
  it('rebuilds when the overrides in the database change, even when another thread made them', async () => {
    let overrides: (Override & { scheduleId: string })[] = [];
    let version = 'v1';
    const rotas = await Rotas.load(file, async () => overrides, () => NOW, async () => version);
    expect(await rotas.onCallUser('primary', NOW)).toBe('U01BOB');
    overrides = [{ scheduleId: 'primary', userId: 'U01CAROL', from: NOW - 3_600_000, to: NOW + 3_600_000, source: 'slack', id: 1, createdBy: 'U01BOB' } as Override & { scheduleId: string }];
    // Without a new version the rotas keep what they built.
    expect(await rotas.onCallUser('primary', NOW)).toBe('U01BOB');
    version = 'v2';
    expect(await rotas.onCallUser('primary', NOW)).toBe('U01CAROL');
    expect((await rotas.between('primary', NOW, NOW + 60_000)).map((s) => s.userId)).toEqual(['U01CAROL']);
  });
});
