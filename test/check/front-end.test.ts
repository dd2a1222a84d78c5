import { describe, expect, it } from 'vitest';
import { loadPolicyText } from '../../src/pipeline/pipeline.js';

function codes(rules: string, head = ''): string[] {
  const text = `version: "1.0"\n${head}rules:\n${rules}`;
  return loadPolicyText('p.yaml', text).diagnostics.map((d) => d.code);
}

describe('optional fields and exists() guards (M307)', () => {
  const rule = (cond: string) => `  - id: r\n    condition: "${cond}"\n    action: {allow: true}\n`;
  it('accepts a guard to the left in the same conjunction, also inside or/not', () => {
    expect(codes(rule("exists(user.country) and user.country == 'DE'"))).toEqual([]);
    expect(codes(rule("(exists(user.country) and user.country == 'DE') or user.tier == 'pro'"))).toEqual([]);
    expect(codes(rule("not exists(user.country) or user.country != 'DE'"))).toEqual([]);
  });
  it('warns when the use comes before the guard or is unguarded', () => {
    expect(codes(rule("user.country == 'DE' and exists(user.country)"))).toEqual(['M307']);
    expect(codes(rule("exists(user.country) or user.country == 'DE'"))).toEqual(['M307']);
  });
  it('lets the condition guard the cost', () => {
    const r = `  - id: r\n    condition: "exists(user.vat_id)"\n    action: {allow: true, cost: "len(user.vat_id)"}\n`;
    expect(codes(r)).toEqual([]);
  });
});

describe('rules that failed to build', () => {
  it('do not make later rules look unreachable, nor params unused', () => {
    const rules = [
      '  - id: broken',
      '    priority: 10',
      '    condition: "user.tier == and params.x > 1"',
      '    action: {allow: true}',
      '  - id: later',
      '    action: {allow: false}',
      '',
    ].join('\n');
    expect(codes(rules, 'params: {x: 1}\n')).toEqual(['M200']);
  });
});

describe('reserved rule ids', () => {
  it('rejects default_deny and invalid_request as rule ids', () => {
    expect(codes('  - id: default_deny\n    action: {allow: false}\n')).toEqual(['M113']);
    expect(codes('  - id: invalid_request\n    action: {allow: false}\n')).toEqual(['M113']);
  });
});

describe('review regressions', () => {
  it('checks a map condition with thousands of entries without overflowing the stack', () => {
    const unique = Array.from({ length: 3000 }, (_, i) => `      asset.metadata.k${i}: ${i}`);
    const schema = `schema:\n  asset:\n    metadata:\n${Array.from({ length: 3000 }, (_, i) => `      k${i}: number`).join('\n')}\n`;
    const text = `version: "1.0"\n${schema}rules:\n  - id: big\n    condition:\n${unique.join('\n')}\n    action: {allow: true}\n`;
    const r = loadPolicyText('big.yaml', text);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.policy?.rules[0]?.condition?.kind).toBe('binary');
  });

  it('reports two declared fields that read the same request key', () => {
    expect(codes('  - id: r\n    action: {allow: true}\n', 'schema:\n  user:\n    foo_bar: number\n    fooBar: string\n')).toEqual(['M116']);
    expect(codes('  - id: r\n    action: {allow: true}\n', 'schema:\n  user:\n    user_id: number\n')).toEqual(['M116']);
  });

  it('does not call a rule with a constant failing cost a blocker (M400)', () => {
    const rules = '  - id: a\n    priority: 2\n    action: {allow: true, cost: "1 - 2"}\n  - id: b\n    priority: 1\n    action: {allow: true}\n';
    expect(codes(rules)).not.toContain('M400');
    const blocking = '  - id: a\n    priority: 2\n    action: {allow: true, cost: 3}\n  - id: b\n    priority: 1\n    action: {allow: true}\n';
    expect(codes(blocking)).toContain('M400');
  });

  it('keeps errors of one stage that share a span (duplicate and reserved id)', () => {
    const rules = '  - id: default_deny\n    action: {allow: false}\n  - id: default_deny\n    action: {allow: false}\n';
    expect(codes(rules).filter((c) => c !== 'M400').sort()).toEqual(['M113', 'M113', 'M114']);
  });
});

describe('second review regressions', () => {
  it('warns about constant multiplier ifs on rules without a condition', () => {
    expect(codes('  - id: r\n    action:\n      allow: true\n      cost: {base: 1, multipliers: [{if: "1 > 0", value: 2}]}\n')).toContain('M402');
  });
  it('does not treat an overflowing literal cost as always deciding', () => {
    const rules = '  - id: a\n    priority: 2\n    action:\n      allow: true\n      cost: {base: 1e308, multipliers: [{if: true, value: 10}]}\n  - id: b\n    priority: 1\n    action: {allow: true}\n';
    expect(codes(rules)).not.toContain('M400');
  });
  it('rejects declared request fields that would read the request structure', () => {
    expect(codes('  - id: r\n    action: {allow: true}\n', 'schema:\n  request:\n    context: string\n')).toEqual(['M116']);
  });
});
