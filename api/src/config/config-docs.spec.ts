import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DOCS } from './config';

describe("README's configuration table", () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const start = readme.indexOf('\n## Configuration');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  // the variables named in the table's first column (a row may name two)
  const listed = new Set(
    section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])),
  );

  // read outside the API's configuration: by the web app and by `npm start`
  const elsewhere = ['API_INTERNAL_URL', 'DEMO_FAKES'];

  it('lists every variable the configuration reads, and no other', () => {
    expect(start).toBeGreaterThan(0);
    expect([...listed].sort()).toEqual([...CONFIG_DOCS.map((d) => d.name), ...elsewhere].sort());
  });
});
