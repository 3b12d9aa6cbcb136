import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every .ts file under src, specs excluded. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('OpenAPI schema names', () => {
  it('are unique: two classes with one name would silently share one schema in the document', () => {
    const seen = new Map<string, string[]>();
    for (const file of sources(join(__dirname, '..'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^export class (\w+)/gm)) {
        seen.set(m[1], [...(seen.get(m[1]) ?? []), file]);
      }
    }
    const dupes = [...seen]
      .filter(([, files]) => files.length > 1)
      .map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(dupes).toEqual([]);
  });
});
