/**
 * Quote cases in test files: `quote: {assets, user?, expect}` instead of `request`/`expect`,
 * loaded, checked for the mistakes of their own, run through the compiled module's `quote`, and
 * shown in every report like decision cases (expected against actual).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTestFile, type QuoteCase } from '../../src/testing/load.js';
import { runCases, type QuoteResult } from '../../src/testing/run.js';
import { renderTestJson } from '../../src/testing/report/json.js';
import { renderTestJunit } from '../../src/testing/report/junit.js';
import { renderTestMarkdown } from '../../src/testing/report/markdown.js';
import { renderTestPretty } from '../../src/testing/report/pretty.js';
import type { TestReport } from '../../src/testing/report/model.js';
import { loadPolicyFile, toChecked } from '../../src/pipeline/pipeline.js';

const SEED = resolve('examples/monetization-policy.yaml');
const dir = mkdtempSync(join(tmpdir(), 'monetize-quote-cases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function load(body: string): ReturnType<typeof loadTestFile> & { at: string[] } {
  const path = join(dir, `q${n++}.test.yaml`);
  writeFileSync(path, `policy: ${JSON.stringify(SEED)}\ncases:\n${body}`);
  const t = loadTestFile(path);
  return { ...t, at: t.diagnostics.map((d) => `${d.code} ${t.source!.position(d.span.start).line}:${t.source!.position(d.span.start).column} ${d.message}`) };
}

const KIT = '["model:llm-base", "dataset:training-corpus"]';

const PASSING = `  - name: the kit for a German buyer
    quote:
      assets: ${KIT}
      user: {country: DE}
      expect:
        lines: [{bundleId: ai_starter_kit, amountMinor: 160, taxCode: digital_services_eu, taxMinor: 30}]
        subtotalMinor: 160
        tax: [{code: digital_services_eu, rate: 0.19, amountMinor: 30}]
        totalMinor: 190
  - name: an empty asset id fails
    quote: {assets: ["model:llm-base", ""], expect: {error: invalid_assets}}
`;

const FAILING = `  - name: the kit costs more than it does
    quote:
      assets: ${KIT}
      user: {country: DE}
      expect: {totalMinor: 200, lines: [{bundleId: null}]}
  - name: a quote expected to fail that does not
    quote: {assets: ["model:llm-base"], expect: {error: unknown_asset}}
  - name: two lines expected, one given
    quote: {assets: ${KIT}, expect: {lines: [{}, {}]}}
`;

function run(body: string): { results: readonly QuoteResult[]; report: TestReport } {
  const t = load(body);
  expect(t.diagnostics).toEqual([]);
  const checked = toChecked(loadPolicyFile(SEED))!;
  const r = runCases(checked, t.cases);
  return { results: r.results as QuoteResult[], report: { runs: [{ policy: 'examples/monetization-policy.yaml', source: checked.source, ...r }], coverage: true } };
}

describe('quote cases: loading', () => {
  it('a quote case loads with its assets, buyer and partial expectation', () => {
    const t = load(PASSING);
    expect(t.diagnostics).toEqual([]);
    const [c] = t.cases as QuoteCase[];
    expect(c).toMatchObject({ kind: 'quote', name: 'the kit for a German buyer', line: 3, assets: ['model:llm-base', 'dataset:training-corpus'], user: { country: 'DE' } });
    expect(c!.expect.totalMinor).toBe(190);
  });

  it('a case with both request and quote, or params, or a top-level expect, is reported and not run', () => {
    const t = load(`  - name: both
    request: {assetId: a, action: read, context: {}}
    quote: {assets: [a], expect: {totalMinor: 100}}
  - name: mixed
    params: {surge: 2}
    expect: {allowed: true}
    quote: {assets: [a], expect: {totalMinor: 100}}
  - name: good
    quote: {assets: [a], expect: {totalMinor: 100}}
`);
    expect(t.at).toEqual([
      "M500 4:5 case 'both' has both 'request' and 'quote'",
      "M500 7:5 case 'mixed' has 'params' and 'quote'",
      "M500 8:5 case 'mixed' has both 'expect' and 'quote'",
    ]);
    expect(t.diagnostics[0]!.hint).toBe("a case checks one decision or one quote: split it into a case with 'request' and 'expect', and one with 'quote'");
    expect(t.cases.map((c) => c.name)).toEqual(['good']);
  });

  it('an empty quote expect, an error with amounts, an unknown error code, a missing expect', () => {
    const t = load(`  - name: empty
    quote: {assets: [a], expect: {}}
  - name: error and amounts
    quote: {assets: [a], expect: {error: no_price, totalMinor: 3}}
  - name: typo
    quote: {assets: [a], expect: {error: unknown_assets}}
  - name: no expect
    quote: {assets: [a]}
  - name: decision without expect
    request: {assetId: a, action: read, context: {}}
`);
    expect(t.at).toEqual([
      "M501 4:34 case 'empty' expects nothing, so it can never fail",
      "M500 6:52 case 'error and amounts' expects the quote to fail and also expects totalMinor",
      "M500 8:42 cases[2].quote.expect.error must be one of 'invalid_assets', 'too_many_assets', 'duplicate_asset', 'unknown_asset', 'no_price', 'invalid_request', 'unknown_country', 'too_complex' or 'amount_too_large', found the string 'unknown_assets'",
      "M500 10:5 cases[3].quote is missing required key 'expect'",
      "M500 11:5 cases[4] is missing required key 'expect'",
    ]);
    expect(t.diagnostics[2]!.hint).toBe("did you mean 'unknown_asset'?");
    expect(t.cases).toEqual([]);
  });
});

describe('quote cases: running and reports', () => {
  it('a passing quote case and an expected quote error pass', () => {
    const { results, report } = run(PASSING);
    expect(results.map((r) => [r.name, r.passed, r.mismatches])).toEqual([
      ['the kit for a German buyer', true, []],
      ['an empty asset id fails', true, []],
    ]);
    expect(results[0]!.actual).toMatchObject({ totalMinor: 190, taxMinor: 30 });
    // Coverage: which bundles the quote cases chose; rules are not counted.
    const cov = report.runs[0]!.coverage;
    expect(cov.bundles).toEqual({ ai_starter_kit: 1, enterprise_data_suite: 0 });
    expect(cov.unchosenBundles).toEqual(['enterprise_data_suite']);
    expect(cov.rules).toEqual({ enterprise_unlimited: 0, dynamic_token_pricing: 0, free_tier_paywall: 0 });
  });

  it('failing quote cases name each difference, key by key', () => {
    const { results } = run(FAILING);
    expect(results.map((r) => [r.passed, r.mismatches])).toEqual([
      [
        false,
        [
          { key: 'totalMinor', expected: 200, actual: 190 },
          { key: 'lines[0].bundleId', expected: null, actual: 'ai_starter_kit' },
        ],
      ],
      [false, [{ key: 'error', expected: 'unknown_asset', actual: null }]],
      [false, [{ key: 'lines (count)', expected: 2, actual: 1 }]],
    ]);
    // The bundle covers are kept to show why the quote came out as it did.
    expect(results[0]!.explanation!.covers!.shown.map((c) => c.bundles)).toEqual([['ai_starter_kit'], []]);
  });

  it('JSON shows quote cases like decision cases, expected against actual, with the quote asked for', () => {
    const { report } = run(FAILING);
    const out = JSON.parse(renderTestJson(report)) as { passed: number; failed: number; cases: Record<string, unknown>[]; coverage: Record<string, unknown> };
    expect([out.passed, out.failed]).toEqual([0, 3]);
    const first = out.cases[0]!;
    expect(first).toMatchObject({
      name: 'the kit costs more than it does',
      passed: false,
      kind: 'quote',
      quote: { assets: ['model:llm-base', 'dataset:training-corpus'], user: { country: 'DE' } },
      expected: { totalMinor: 200, lines: [{ bundleId: null }] },
      mismatches: [
        { key: 'totalMinor', expected: 200, actual: 190 },
        { key: 'lines[0].bundleId', expected: null, actual: 'ai_starter_kit' },
      ],
    });
    expect((first.actual as { totalMinor: number }).totalMinor).toBe(190);
    expect(out.coverage.unchosenBundles).toEqual(['enterprise_data_suite']);
  });

  it('pretty shows the differences, then the quote, the covers and the tax rule', () => {
    const { report } = run(FAILING);
    const text = renderTestPretty(report, false);
    expect(text).toContain(
      [
        '  ✗ the kit costs more than it does  ' + join(dir, `q${n - 1}.test.yaml`) + ':3',
        '      totalMinor: expected 200, got 190',
        '      lines[0].bundleId: expected none, got "ai_starter_kit"',
        '      quoted model:llm-base, dataset:training-corpus for {"country":"DE"}',
        '      quote: 1.90 USD for 2 assets',
      ].join('\n'),
    );
    expect(text).toContain('        ✓ ai_starter_kit                            1.60 USD  chosen\n');
    expect(text).toContain('      tax: tax.rules[0] (region EU) holds DE: code digital_services_eu, rate 19%');
    expect(text).toContain('  ○ bundle enterprise_data_suite: chosen by 0 quote cases');
    expect(text).toContain('3 failed: 0 passed, 3 failed, 3 cases');
  });

  it('JUnit and Markdown show the quote total where a decision shows its rule', () => {
    const { report } = run(FAILING);
    const xml = renderTestJunit(report);
    expect(xml).toContain('<failure message="totalMinor: expected 200, got 190; lines[0].bundleId: expected none, got &quot;ai_starter_kit&quot;" type="AssertionError">');
    expect(xml).toContain('quoted 1.90 USD: {&quot;currency&quot;:&quot;USD&quot;');
    expect(xml).toContain('quote: {&quot;assets&quot;:[&quot;model:llm-base&quot;,&quot;dataset:training-corpus&quot;],&quot;user&quot;:{&quot;country&quot;:&quot;DE&quot;}}');
    const md = renderTestMarkdown(report);
    expect(md).toContain('| totalMinor: expected 200, got 190; lines\\[0\\].bundleId: expected none, got "ai_starter_kit" | `quote 1.90 USD` |');
    expect(md).toContain('Bundles no quote case chose: `enterprise_data_suite`');
  });
});
