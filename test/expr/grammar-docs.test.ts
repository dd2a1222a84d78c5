import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { railroadHtml } from '../../scripts/railroad.js';

describe('docs/grammar.html', () => {
  it('is up to date with the grammar (regenerate: npm run build && node dist/scripts/railroad.js)', () => {
    const onDisk = readFileSync(new URL('../../docs/grammar.html', import.meta.url), 'utf8');
    expect(onDisk === railroadHtml()).toBe(true);
  });

  it('works offline: no script or stylesheet is loaded from the network', () => {
    const html = railroadHtml();
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*stylesheet/i);
    expect(html).not.toContain('unpkg.com');
    expect(html).toContain('"name": "constraint"');
  });
});
