/**
 * src/lint/rules/overlapping-bundles.ts: M408 overlapping-bundles, two bundles that share assets.
 * What the message says a quote does is checked against the quote engine itself.
 */
import { describe, expect, it } from 'vitest';
import { overlappingBundles } from '../../../src/lint/rules/overlapping-bundles.js';
import { createQuoter } from '../../../src/money/engine.js';
import { irOfText } from '../../helpers/front-end.js';
import { runRule } from '../../helpers/lint-rule.js';

const RULES = 'rules:\n  - id: everyone\n    action: {allow: true}\n';

/** A policy with a registry of `id: price` pairs and the given bundles (YAML list lines). */
function policy(prices: Record<string, string>, bundles: string, head = ''): string {
  const assets = Object.entries(prices)
    .map(([id, p]) => `  - {id: ${id}, price: ${p}}\n`)
    .join('');
  return `version: "1.0"\n${head}assets:\n${assets}${RULES}bundles:\n${bundles}`;
}

const bundle = (id: string, assets: string, multiplier: string) => `  - id: ${id}\n    assets: ${assets}\n    price_multiplier: ${multiplier}\n`;

/** The bundles the quote engine uses for a basket, as the compiled module would. */
function quotedBundles(yaml: string, assetIds: readonly string[]): string[] {
  const q = createQuoter(irOfText(yaml).quote)(assetIds);
  if ('error' in q) throw new Error(q.message);
  return q.lines.flatMap((l) => (l.bundleId === undefined ? [] : [l.bundleId]));
}

const messages = (yaml: string) => runRule(overlappingBundles, yaml).map((d) => d.message);

describe('M408: two bundles share assets', () => {
  it('is an info at the later bundle\'s shared asset, with a note at the earlier one, naming the winner and both savings', () => {
    // The earlier bundle quotes the id, so the note's text tells the two entries apart.
    const yaml = policy({ model: '10', data: '5', search: '"2.50"' }, bundle('starter', '["model", data]', '0.9') + bundle('search', '[model, search]', '0.8'));
    expect(runRule(overlappingBundles, yaml)).toEqual([
      {
        code: 'M408',
        severity: 'info',
        message: "bundles 'starter' and 'search' share asset 'model': a quote holding both uses 'search', which saves 2.50 USD ('starter' saves 1.50 USD)",
        at: 'model',
        hint: 'a quote uses at most one of two bundles that share an asset; make the bundles disjoint if a basket holding both should get both discounts',
        labels: [{ at: '"model"', message: "'starter' also holds 'model'" }],
      },
    ]);
    expect(quotedBundles(yaml, ['model', 'data', 'search'])).toEqual(['search']);
  });

  it('names the bundle that saves more money, whichever comes first or holds more assets', () => {
    // small: 101 × 0.9 = 90.90, saving 10.10; big: 102 × 0.5 = 51.00, saving 51.00.
    const yaml = policy({ a: '100', b: '1', c: '1' }, bundle('small', '[a, b]', '0.9') + bundle('big', '[a, b, c]', '0.5'));
    expect(messages(yaml)).toEqual(["bundles 'small' and 'big' share assets 'a' and 'b': a quote holding both uses 'big', which saves 51.00 USD ('small' saves 10.10 USD)"]);
    expect(quotedBundles(yaml, ['a', 'b', 'c'])).toEqual(['big']);
    // first: 101 × 0.5, saving 50.50; second: 2 × 0.5, saving 1.00.
    const yaml2 = policy({ a: '100', b: '1', c: '1' }, bundle('first', '[a, b]', '0.5') + bundle('second', '[b, c]', '0.5'));
    expect(messages(yaml2)).toEqual(["bundles 'first' and 'second' share asset 'b': a quote holding both uses 'first', which saves 50.50 USD ('second' saves 1.00 USD)"]);
    expect(quotedBundles(yaml2, ['a', 'b', 'c'])).toEqual(['first']);
  });

  it('on equal savings names the earlier bundle, as the quote engine chooses', () => {
    const yaml = policy({ a: '10', b: '10', c: '10' }, bundle('ab', '[a, b]', '0.75') + bundle('bc', '[b, c]', '0.75'));
    expect(messages(yaml)).toEqual(["bundles 'ab' and 'bc' share asset 'b': a quote holding both uses the earlier one, 'ab' (each saves 5.00 USD)"]);
    expect(quotedBundles(yaml, ['c', 'b', 'a'])).toEqual(['ab']);
  });

  it('computes savings in minor units exactly as the quote table does: each part rounded half-even on its own, the bundle once', () => {
    // x, y: 12.5 cents each → 12 singly; (0.25 × 0.9 = 22.5 cents) → 22: saving 2.
    // z: 13.5 cents → 14 singly; y+z = 0.26 × 0.9 = 23.4 cents → 23: saving 12 + 14 − 23 = 3.
    const yaml = policy({ x: '0.125', y: '0.125', z: '0.135' }, bundle('xy', '[x, y]', '0.9') + bundle('yz', '[y, z]', '0.9'));
    expect(messages(yaml)).toEqual(["bundles 'xy' and 'yz' share asset 'y': a quote holding both uses 'yz', which saves 0.03 USD ('xy' saves 0.02 USD)"]);
    expect(quotedBundles(yaml, ['x', 'y', 'z'])).toEqual(['yz']);
    // The same prices in a currency with 3 digits: x, y 0.125 kept; bundles 0.225 and 0.234: savings 0.025 and 0.026.
    const kwd = policy({ x: '0.125', y: '0.125', z: '0.135' }, bundle('xy', '[x, y]', '0.9') + bundle('yz', '[y, z]', '0.9'), 'currency: KWD\n');
    expect(messages(kwd)).toEqual(["bundles 'xy' and 'yz' share asset 'y': a quote holding both uses 'yz', which saves 0.026 KWD ('xy' saves 0.025 KWD)"]);
    expect(quotedBundles(kwd, ['x', 'y', 'z'])).toEqual(['yz']);
  });

  it('a bundle that saves nothing still beats one that costs more than its parts; two such bundles: neither is used', () => {
    const yaml = policy({ a: '10', b: '10', c: '10' }, bundle('dear', '[a, b]', '1.1') + bundle('even', '[b, c]', '1'));
    expect(messages(yaml)).toEqual(["bundles 'dear' and 'even' share asset 'b': a quote holding both uses 'even', which saves 0.00 USD ('dear' costs 2.00 USD more than its parts)"]);
    expect(quotedBundles(yaml, ['a', 'b', 'c'])).toEqual(['even']);
    const both = policy({ a: '10', b: '10', c: '10' }, bundle('dear', '[a, b]', '1.1') + bundle('dearer', '[b, c]', '1.5'));
    expect(messages(both)).toEqual(["bundles 'dear' and 'dearer' share asset 'b': a quote holding both uses neither ('dear' costs 2.00 USD more than its parts, 'dearer' costs 10.00 USD more than its parts)"]);
    expect(quotedBundles(both, ['a', 'b', 'c'])).toEqual([]);
  });

  it('reports once per pair, each at the later bundle, pointing at its first shared asset', () => {
    const yaml = policy({ a: '1', b: '1', c: '1', d: '1' }, bundle('p', '[a, b]', '0.5') + bundle('q', '[c, b]', '0.5') + bundle('r', '[d, c, b]', '0.5'));
    expect(runRule(overlappingBundles, yaml).map((d) => [d.message.split(':')[0], d.at, d.labels.map((l) => l.message)])).toEqual([
      ["bundles 'p' and 'q' share asset 'b'", 'b', ["'p' also holds 'b'"]],
      ["bundles 'p' and 'r' share asset 'b'", 'b', ["'p' also holds 'b'"]],
      ["bundles 'q' and 'r' share assets 'c' and 'b'", 'c', ["'q' also holds 'c'"]],
    ]);
  });

  it('prices ids at the unit price of 1 when the policy has no registry, as quotes do', () => {
    const yaml = `version: "1.0"\n${RULES}bundles:\n${bundle('two', '[a, b]', '0.5')}${bundle('three', '[a, b, c]', '0.7')}`;
    // two: 2 × 0.5 = 1.00, saving 1.00; three: 3 × 0.7 = 2.10, saving 0.90.
    expect(messages(yaml)).toEqual(["bundles 'two' and 'three' share assets 'a' and 'b': a quote holding both uses 'two', which saves 1.00 USD ('three' saves 0.90 USD)"]);
    expect(quotedBundles(yaml, ['a', 'b', 'c'])).toEqual(['two']);
  });
});

describe('M408 near misses: nothing is reported', () => {
  it('for disjoint bundles', () => {
    expect(runRule(overlappingBundles, policy({ a: '1', b: '1', c: '1', d: '1' }, bundle('p', '[a, b]', '0.5') + bundle('q', '[c, d]', '0.5')))).toEqual([]);
  });

  it('when one of the two can never be quoted (an asset outside the registry or without a price)', () => {
    const outside = policy({ a: '1', b: '1' }, bundle('p', '[a, b]', '0.5') + bundle('q', '[b, ghost]', '0.5'));
    expect(runRule(overlappingBundles, outside)).toEqual([]);
    const unpriced = `version: "1.0"\nassets:\n  - {id: a, price: 1}\n  - {id: b, price: 1}\n  - {id: c}\n${RULES}bundles:\n${bundle('p', '[a, b]', '0.5')}${bundle('q', '[b, c]', '0.5')}`;
    expect(runRule(overlappingBundles, unpriced)).toEqual([]);
  });

  it('when the currency is not one prices can be counted in (reported as an error elsewhere)', () => {
    const yaml = policy({ a: '1', b: '1', c: '1' }, bundle('p', '[a, b]', '0.5') + bundle('q', '[b, c]', '0.5'), 'currency: XAU\n');
    expect(runRule(overlappingBundles, yaml, { errors: true })).toEqual([]);
  });
});
