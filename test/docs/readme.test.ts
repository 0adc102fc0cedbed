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

  it('states the Node.js version package.json requires, near the top', () => {
    const manifest = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'package.json'));
    const { engines } = JSON.parse(manifest.toString()) as { engines: { node: string } };
    const minimum = /^>=(\d+(\.\d+)*)$/.exec(engines.node)?.[1];
    const top = readme.split('\n').slice(0, 30).join('\n');
    expect(top).toContain(`Node.js ${minimum} or newer`);
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
