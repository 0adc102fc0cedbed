import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../core/settings.ts';
import { settingsTable } from '../../core/settings-table.ts';

const readme = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('opens with the two commands a newcomer types', () => {
    const opening = readme.split('\n').slice(0, 20).join('\n');
    expect(opening).toContain('npm start');
    expect(opening).toContain('npm test');
  });

  it('lists the default settings exactly as the settings schema defines them', () => {
    // The formatter pads table cells; compare the cells, not the padding.
    const cells = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => line.replace(/ {2,}/g, ' ').replace(/ \|/g, '|'));
    const rows = cells(settingsTable());
    expect(rows).toHaveLength(SETTING_NAMES.length);
    for (const row of rows) expect(cells(readme)).toContain(row);
  });
});
