/** monetize's own version, read from its package.json. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version (e.g. `0.1.0`). */
export function version(): string {
  if (cached !== undefined) return cached;
  // Walk up from this module: it runs from src/ under vitest and from dist/src/ when built.
  let url = new URL('./', import.meta.url);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'monetize' && pkg.version) return (cached = pkg.version);
    } catch {
      // not here; keep walking up
    }
    url = new URL('../', url);
  }
  return (cached = '0.0.0');
}
