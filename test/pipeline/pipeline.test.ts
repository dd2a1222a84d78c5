/**
 * The stage list: stages run in order and are timed, `until` stops early, lowering runs only for a
 * policy without errors, and a mistake is reported once — by the first stage that can see it.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyText, STAGES, toChecked } from '../../src/pipeline/pipeline.js';

const CLEAN = `version: "1.0"
rules:
  - id: read
    condition: "user.tier == 'pro'"
    action: { allow: true, cost: 2 }
`;

describe('pipeline', () => {
  it('runs and times every stage, in order, for a clean policy', () => {
    const r = loadPolicyText('p.yaml', CLEAN);
    expect(Object.keys(r.timings)).toEqual([...STAGES]);
    expect(r.ir?.rules.map((x) => x.id)).toEqual(['read']);
    expect(toChecked(r)?.ir).toBe(r.ir);
  });

  it('stops after the stage named by until', () => {
    const r = loadPolicyText('p.yaml', CLEAN, { until: 'lint' });
    expect(Object.keys(r.timings)).toEqual(['yaml', 'schema', 'model', 'check', 'lint']);
    expect(r.ir).toBeUndefined();
    expect(r.checked?.types.size).toBeGreaterThan(0);
  });

  it('does not lower a policy with errors, but still checks and lints all of it', () => {
    const r = loadPolicyText('p.yaml', CLEAN.replace("user.tier == 'pro'", "user.tier == 'gold'"));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['M302']);
    expect(r.timings.lint).toBeTypeOf('number');
    expect(r.ir).toBeUndefined();
    expect(toChecked(r)).toBeUndefined();
  });

  it('stops after yaml when the text is not YAML', () => {
    const r = loadPolicyText('p.yaml', 'rules: [\n');
    expect(r.diagnostics[0]?.code).toBe('M101');
    expect(Object.keys(r.timings)).toEqual(['yaml']);
  });

  it('reports each mistake once, by the first stage that sees it', () => {
    const text = `version: "1.0"
schema:
  user:
    foo: 5
    bar: {type: lizard}
    baz: {enum: []}
    qux: {optional: true}
  widget:
    x: string
params:
  p: null
rules:
  - id: r1
    condition:
      user.tier: null
      user.token_balance: {a: 1}
      asset.tags: [[1]]
    action: { allow: true }
`;
    const r = loadPolicyText('p.yaml', text);
    const spans = r.diagnostics.map((d) => `${d.span.start}:${d.span.end}`);
    expect(new Set(spans).size).toBe(spans.length);
    const at = (code: string, snippet: string) => r.diagnostics.filter((d) => d.code === code && text.slice(d.span.start, d.span.end) === snippet);
    // The shape check owns these…
    expect(at('M112', '5')).toHaveLength(1);
    expect(at('M113', 'lizard')).toHaveLength(1);
    expect(at('M110', 'widget')).toHaveLength(1);
    expect(at('M112', 'null')).toHaveLength(2);
    expect(at('M112', '{a: 1}')).toHaveLength(1);
    // …and the model reports what a JSON Schema cannot say.
    expect(at('M116', '{optional: true}')).toHaveLength(1);
  });
});
