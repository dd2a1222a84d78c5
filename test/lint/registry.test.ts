/**
 * src/lint/registry.ts: the list of lint rules and the user's severity overrides
 * (`--severity CODE=level`): warnings and infos can be re-levelled or silenced, errors never.
 */
import { describe, expect, it } from 'vitest';
import { CODES, isCode } from '../../src/diag/codes.js';
import { applySeverity, LINT_RULES, lintPolicy } from '../../src/lint/registry.js';
import { frontEnd } from '../helpers/front-end.js';

/** One error (M300), one warning (M307) and one info (M406), in this order. */
const MIXED = [
  'version: "1.0"',
  'rules:',
  '  - id: typo',
  '    priority: 10',
  `    condition: "user.teir == 'pro'"`,
  '    action: {allow: true}',
  '  - id: german',
  '    priority: 5',
  `    condition: "user.country == 'DE'"`,
  '    action: {allow: true, redirect: /de}',
  '',
].join('\n');

const mixed = () => frontEnd(MIXED).diagnostics;
const levels = (diags: readonly { code: string; severity: string }[]) => diags.map((d) => `${d.code}:${d.severity}`);

describe('applySeverity', () => {
  it('(the policy used here has one error, one warning and one info)', () => {
    expect(levels(mixed())).toEqual(['M300:error', 'M307:warning', 'M406:info']);
  });

  it('without overrides, changes nothing', () => {
    expect(applySeverity(mixed(), {})).toEqual(mixed());
  });

  it('re-levels warnings and infos, up or down, and leaves the rest of each diagnostic alone', () => {
    const out = applySeverity(mixed(), { severity: { M307: 'error', M406: 'warning' } });
    expect(levels(out)).toEqual(['M300:error', 'M307:error', 'M406:warning']);
    expect(out.map(({ severity: _, ...rest }) => rest)).toEqual(mixed().map(({ severity: _, ...rest }) => rest));
    expect(levels(applySeverity(mixed(), { severity: { M307: 'info', M406: 'error' } }))).toEqual(['M300:error', 'M307:info', 'M406:error']);
  });

  it('`off` removes the diagnostics of that code only', () => {
    expect(levels(applySeverity(mixed(), { severity: { M307: 'off' } }))).toEqual(['M300:error', 'M406:info']);
    expect(levels(applySeverity(mixed(), { severity: { M307: 'off', M406: 'off' } }))).toEqual(['M300:error']);
  });

  it('never downgrades or silences an error', () => {
    for (const level of ['warning', 'info', 'off'] as const) {
      expect(levels(applySeverity(mixed(), { severity: { M300: level } })), level).toEqual(['M300:error', 'M307:warning', 'M406:info']);
    }
  });

  it('does not change the diagnostics it was given', () => {
    const given = mixed();
    applySeverity(given, { severity: { M307: 'error', M406: 'off' } });
    expect(levels(given)).toEqual(['M300:error', 'M307:warning', 'M406:info']);
  });
});

describe('LINT_RULES', () => {
  it('every rule has its own code, registered as an M4xx warning or info (so users can re-level it)', () => {
    const codes = LINT_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(isCode(code), code).toBe(true);
      expect(code, code).toMatch(/^M4\d\d$/);
      expect(CODES[code].severity, code).not.toBe('error');
    }
  });

  it('lintPolicy runs every rule, in list order', () => {
    const text = [
      'version: "1.0"',
      'params: {unused: 1}',
      'rules:',
      '  - id: all',
      '    priority: 9',
      '    action: {allow: false, cost: 2}',
      '  - id: never',
      '    priority: 1',
      '    condition: false',
      '    action: {allow: true, redirect: /x}',
      '',
    ].join('\n');
    const { policy, types } = frontEnd(text);
    const out = lintPolicy(policy, types);
    expect(out).toEqual(LINT_RULES.flatMap((r) => r.run(policy, types)));
    expect(out.map((d) => d.code)).toEqual(['M400', 'M401', 'M402', 'M406', 'M407']);
  });
});
