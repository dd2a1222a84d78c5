/** The Markdown report: hostile and very long ids from a log stay text in a table cell. */
import { describe, expect, it } from 'vitest';
import { SimAggregator } from '../../src/sim/aggregate.js';
import { DiffBuilder } from '../../src/sim/diff.js';
import { renderSimMarkdown } from '../../src/sim/markdown.js';
import type { ReplayedDecision } from '../../src/sim/report.js';

const allow = (id: string, userId: string, cost: number): ReplayedDecision => ({ id, time: 0, userId, allowed: true, policyId: 'r', costMicro: cost * 1e6, chargedMicro: cost * 1e6 });

function render(id: string, userId: string): string {
  const sink = new SimAggregator('EUR', new DiffBuilder());
  sink.record({ kind: 'decision', seq: 0, decision: allow(id, userId, 3), against: allow(id, userId, 2) });
  const out = sink.finish();
  return renderSimMarkdown(out.report, { exponent: 2, policyFile: 'new.yaml', against: { file: 'old.yaml', report: out.against!, diff: out.diff! }, gates: { asked: false, failed: [] } });
}

describe('renderSimMarkdown', () => {
  it('shows ids from the log as code spans, `|` escaped, never as HTML', () => {
    const md = render('a|b<script>', 'u`x|<img src=x onerror=alert(1)>');
    expect(md).toContain('| `a\\|b<script>` | ``u`x\\|<img src=x onerror=alert(1)>`` |  | `allow r, cost 2` | `allow r, cost 3` |');
    expect(md).toContain('| ``u`x\\|<img src=x onerror=alert(1)>`` | 2 | 3 | +1 (+50%) |');
    expect(md).not.toContain('a|b');
  });

  it('shortens ids longer than 80 code points', () => {
    const long = `req-${'x'.repeat(200)}`;
    const md = render(long, 'u1');
    expect(md).toContain(`\`req-${'x'.repeat(75)}…\``);
    expect(md).not.toContain('x'.repeat(76));
  });

  it('leads with the verdict', () => {
    expect(render('q', 'u').split('\n')[0]).toBe('### ⚠️ monetize simulate: 1 of 1 decisions change (100%)');
  });
});
