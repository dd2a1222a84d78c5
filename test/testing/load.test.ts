/**
 * loadTestFile: every case of a test file is looked at, so one run reports every problem, each
 * once; only the cases without a problem are kept to run, with the spans the policy checks need.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTestFile } from '../../src/testing/load.js';

const dir = mkdtempSync(join(tmpdir(), 'monetize-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function load(text: string): ReturnType<typeof loadTestFile> & { at: string[] } {
  const path = join(dir, `t${n++}.test.yaml`);
  writeFileSync(path, text);
  const t = loadTestFile(path);
  return { ...t, at: t.diagnostics.map((d) => `${d.code} ${t.source!.position(d.span.start).line}:${t.source!.position(d.span.start).column}`) };
}

const REQ = 'request: {assetId: a, action: read, context: {}}';

describe('loadTestFile', () => {
  it('reports an empty expect next to format errors in other cases, and keeps the good case', () => {
    const t = load(`cases:\n  - name: typo\n    ${REQ}\n    expect: {allowed: true, polcyId: x}\n  - name: empty\n    ${REQ}\n    expect: {}\n  - name: good\n    ${REQ}\n    expect: {allowed: false}\n`);
    expect(t.at).toEqual(['M500 4:29', 'M501 7:13']);
    expect(t.cases.map((c) => c.name)).toEqual(['good']);
  });

  it('reports an empty expect in a case that also breaks the format', () => {
    const t = load(`cases:\n  - name: both\n    ${REQ}\n    extra: 1\n    expect: {}\n`);
    expect(t.at.map((a) => a.split(' ')[0])).toEqual(['M500', 'M501']);
  });

  it('one report per mistake: a misspelt request is an unknown key, not also a missing request', () => {
    const t = load('cases:\n  - name: m\n    reqest: {assetId: a, action: read, context: {}}\n    expect: {allowed: false}\n');
    expect(t.diagnostics.map((d) => d.message)).toEqual(["unknown key 'reqest' in cases[0]"]);
    const neither = load('cases:\n  - name: m\n    expect: {allowed: false}\n');
    expect(neither.diagnostics.map((d) => d.message)).toEqual(["case 'm' has no 'request'"]);
  });

  it('keeps where params and expect.policyId are written, for the checks against the policy', () => {
    const t = load(`policy: p.yaml\ncases:\n  - name: p\n    ${REQ}\n    params: {surge: "2", x: 1}\n    expect: {policyId: paywall}\n`);
    expect(t.diagnostics).toEqual([]);
    const [c] = t.cases;
    const text = (span: { start: number; end: number }): string => t.source!.text.slice(span.start, span.end);
    expect([...c!.spans.params].map(([name, s]) => [name, text(s.key), text(s.value)])).toEqual([
      ['surge', 'surge', '"2"'],
      ['x', 'x', '1'],
    ]);
    expect(text(c!.spans.policyId!)).toBe('paywall');
    expect(t.policy).toBe(join(dir, 'p.yaml'));
  });

  it('names the policy even when the file has problems, so its cases can still be checked against it', () => {
    const t = load(`policy: p.yaml\ncases:\n  - name: e\n    ${REQ}\n    expect: {}\n`);
    expect(t.at).toEqual(['M501 5:13']);
    expect(t.policy).toBe(join(dir, 'p.yaml'));
  });
});
