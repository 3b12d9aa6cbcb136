import type { MirrorDirectory, Snapshot } from './mirror-directory.service';
import { drawMirrors } from './mirror-directory.service';

const ALTERNATES = 4;

export interface Redirect {
  location: string;
  /** `Link: <…>; rel=duplicate` alternatives (mirrorbits / MirrorBrain style), best first. */
  link: string | null;
  /** The mirror's name, or `master`. */
  mirror: string;
}

/**
 * Where /download/<path> sends this client: the best mirror that has the file (country, then
 * continent, then anywhere), else the master; null when the path is not in the catalogue.
 */
export function redirectFor(
  directory: MirrorDirectory,
  snapshot: Snapshot,
  path: string | null,
  country: string | null,
  masterUrl: string,
): Redirect | null {
  const file = path ? snapshot.files.get(path) : undefined;
  if (!file) return null;
  const ranked = drawMirrors(directory.poolsFor(snapshot, file, country), 1 + ALTERNATES);
  const encoded = file.encoded;
  const master = `${masterUrl}/${encoded}`;
  if (!ranked.length) return { location: master, link: null, mirror: 'master' };
  const links = ranked
    .slice(1)
    .map((m, i) => `<${m.base}/${encoded}>; rel=duplicate; pri=${i + 1}; geo=${m.country.toLowerCase()}`);
  links.push(`<${master}>; rel=duplicate; pri=${links.length + 1}`);
  return { location: `${ranked[0].base}/${encoded}`, link: links.join(', '), mirror: ranked[0].name };
}
