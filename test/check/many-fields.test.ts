/**
 * Policies declaring tens of thousands of fields: every step from the YAML to the checker's hints
 * must stay linear in them (bench/run.ts times one). These tests check that the answers stay right
 * at that size — clashes, unknown fields, hints — without timing anything.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_FIELDS } from '../../src/lang/fields.js';
import { loadPolicyText } from '../../src/pipeline/pipeline.js';

/** 4 sections × `perSection` declared fields (numbers, strings and enums), then `rules`. */
function declaring(perSection: number, rules: string[]): string {
  const decl = (i: number) => (i % 3 === 0 ? 'number' : i % 3 === 1 ? 'string' : `{enum: [a${i}, b${i}], optional: true}`);
  const section = (indent: string, prefix: string) => Array.from({ length: perSection }, (_, i) => `${indent}${prefix}_${i}: ${decl(i)}`);
  return [
    'version: "1.0"',
    'schema:',
    '  user:',
    ...section('    ', 'u'),
    '  request:',
    ...section('    ', 'r'),
    '  asset:',
    ...section('    ', 'a'),
    '    metadata:',
    ...section('      ', 'm'),
    'rules:',
    ...rules,
    '',
  ].join('\n');
}

const N = 10_000;
const last = N - 1; // 9999 % 3 === 0: a number

describe('a policy declaring 40,000 fields', () => {
  it('types reads of the last field of each section, finds a clash and explains unknown paths right', () => {
    const text = declaring(N, [
      '  - id: ok',
      `    condition: "user.u_${last} > 1 and request.r_${last} > 1 and asset.a_${last} > 1 and asset.metadata.m_${last} > 1 and exists(user.u_${last - 1}) and user.u_${last - 1} == 'a${last - 1}'"`,
      '    action: {allow: true, cost: 0}',
      '  - id: wrong',
      `    condition: "user.u_${last}x > 1 and asset.metadata > 1 and user.u_3.x > 1 and params.nope > 1 and exists(user.u_${last - 1}) and user.u_${last - 1} == 'c${last - 1}'"`,
      '    action: {allow: true, cost: 0}',
    ]).replace('  request:\n', '  request:\n    r_0_x: number\n    r0X: string\n');
    const r = loadPolicyText('p.yaml', text, { until: 'lint' });
    expect(r.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([
      ['M116', "'request.r0X' reads the same request key as 'request.r_0_x'", "rename one of them; 'request.r0X' would read request key r0X"],
      ['M300', `unknown field 'user.u_${last}x'`, `did you mean 'user.u_${last}'?`],
      ['M309', "'asset.metadata' is an object, not a field", "name one of its fields, e.g. 'asset.metadata.m_0', 'asset.metadata.m_1', 'asset.metadata.m_2'"],
      ['M309', "'user.u_3.x' reads into 'user.u_3' (number), which has no fields", "use 'user.u_3' itself"],
      ['M308', "unknown parameter 'params.nope'", 'define it under `params:` with a default value, e.g. `params: {nope: 1}`'],
      ['M302', `'c${last - 1}' is not a value of user.u_${last - 1} (a${last - 1}, b${last - 1})`, `did you mean 'a${last - 1}'?`],
    ]);
    expect(r.diagnostics[0]!.labels![0]!.span.start).toBe(text.indexOf('r_0_x'));
    const env = r.checked!.env;
    expect(env.fields.size).toBe(BUILTIN_FIELDS.size + 4 * N + 2 - 1);
    expect(env.fields.get(`asset.metadata.m_${last}`)).toMatchObject({ source: { from: 'metadata', key: `m_${last}` }, type: { kind: 'number' } });
    expect(env.fields.get(`user.u_${last - 1}`)).toMatchObject({ source: { from: 'context', key: `u${last - 1}` }, optional: true, type: { kind: 'enum', values: [`a${last - 1}`, `b${last - 1}`] } });
  });
});

describe('thousands of unknown fields among thousands of declared ones', () => {
  it('reports every one; each hint names the declared field one letter away, or none', () => {
    const typos = 1000;
    const rules = Array.from({ length: typos }, (_, i) => [`  - id: r${i}`, `    condition: "user.v_${i * 2} > 1"`, '    action: {allow: true, cost: 0}']).flat();
    const r = loadPolicyText('p.yaml', declaring(N / 4, rules), { until: 'lint' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(Array.from({ length: typos }, () => 'M300'));
    const suggested = r.diagnostics.map((d) => /did you mean 'user\.u_(\d+)'/.exec(d.hint ?? '')?.[1]);
    // Once the checker's suggestion budget is spent, the hint says how to declare the field
    // instead: never a wrong field, and never a lint that takes minutes.
    suggested.forEach((n, i) => {
      if (n !== undefined) expect(Number(n)).toBe(i * 2);
      else expect(r.diagnostics[i]!.hint).toMatch(/^declare it under `schema: \{user: \{v_\d+: string\}\}`/);
    });
    expect(suggested.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => String(i * 2)));
  });
});

describe('a declared enum of 40,000 values', () => {
  it('names a few of its values in a message, not all of them', () => {
    const values = Array.from({ length: 40_000 }, (_, i) => `v${i}`);
    const text = `version: "1.0"\nschema: {user: {seg: {enum: [${values.join(', ')}]}}}\nrules:\n  - id: r\n    condition: "user.seg == 'x1'"\n    action: {allow: true}\n`;
    const [d, ...rest] = loadPolicyText('p.yaml', text, { until: 'lint' }).diagnostics;
    expect(rest).toEqual([]);
    expect(d!.message).toBe("'x1' is not a value of user.seg (v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, … (40000 values))");
    expect(d!.hint).toBe("did you mean 'v1'?");
  });
});
