/** Reading `*.test.yaml` files: YAML with positions, the test-file schema, one model per case. */
import { isFolder, readText, TEST_FILE, walkFiles, type WalkProblem } from '../io/files.js';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { diag, sortDiagnostics, type Diagnostic } from '../diag/diagnostic.js';
import type { QuoteErrorCode } from '../money/engine.js';
import { SourceFile, type Span } from '../diag/source.js';
import { loadValidator, validateShape } from '../schema/validate.js';
import { unreadable } from '../pipeline/pipeline.js';
import { loadYaml } from '../yaml/load.js';
import { getPair, toValue, type YamlMap, type YamlPair } from '../yaml/node.js';
import type { ValidateFunction } from 'ajv';
import { CASE_KEYS, TEST_FILE_SCHEMA, TEST_VALIDATOR_FILE } from './test-schema.js';

/** The expected part of a decision; `null` asserts absence. */
export interface Expectation {
  readonly allowed?: boolean;
  readonly policyId?: string;
  readonly reason?: string | null;
  readonly cost?: number | null;
  readonly redirect?: string | null;
}

/** Where the parts of a case that are checked against its policy stand in the test file. */
export interface CaseSpans {
  /** Each `params` override by name: its key and its value. */
  readonly params: ReadonlyMap<string, { readonly key: Span; readonly value: Span }>;
  /** The value of `expect.policyId`. */
  readonly policyId?: Span;
}

/** A partial quote line; `null` asserts absence (a single-asset line, a line without a tax code). */
export interface QuoteLineExpectation {
  readonly bundleId?: string | null;
  readonly assets?: readonly string[];
  readonly amountMinor?: number;
  readonly taxCode?: string | null;
  readonly taxMinor?: number;
}

/** A partial tax line of a quote. */
export interface QuoteTaxExpectation {
  readonly code?: string;
  readonly rate?: number;
  readonly amountMinor?: number;
  readonly reverseCharge?: boolean;
}

/** The expected part of a quote: amounts in minor units, lines and tax lines in order, or an error code. */
export interface QuoteExpectation {
  readonly totalMinor?: number;
  readonly subtotalMinor?: number;
  readonly taxMinor?: number;
  readonly lines?: readonly QuoteLineExpectation[];
  readonly tax?: readonly QuoteTaxExpectation[];
  readonly error?: QuoteErrorCode;
}

interface CaseCommon {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly span: Span;
  readonly spans: CaseSpans;
}

/** A case that decides one request (or several) and checks the decision. */
export interface DecisionCase extends CaseCommon {
  readonly kind?: 'decision';
  readonly requests: readonly unknown[];
  readonly params?: Readonly<Record<string, unknown>>;
  readonly expect: Expectation;
}

/** A case that quotes a set of assets for a buyer and checks the price. */
export interface QuoteCase extends CaseCommon {
  readonly kind: 'quote';
  readonly assets: readonly string[];
  /** The buyer, as a request's context (`country`, `vatId`). */
  readonly user?: Readonly<Record<string, unknown>>;
  readonly expect: QuoteExpectation;
}

export type TestCase = DecisionCase | QuoteCase;

export interface TestFile {
  readonly path: string;
  readonly source?: SourceFile;
  /** The policy named by the file, resolved relative to it. */
  readonly policy?: string;
  /** The cases with no problem of their own; a case with one is reported, not run. */
  readonly cases: readonly TestCase[];
  readonly diagnostics: readonly Diagnostic[];
  readonly unreadable: boolean;
}

let validator: ValidateFunction | undefined;

/**
 * Load one test file; problems come back as diagnostics (M100, M101…, M500, M501). Every case is
 * looked at even when others break the format, so that one run reports every problem; the ones
 * that need the policy (M502, M503) are found by `checkCases`.
 */
export function loadTestFile(path: string): TestFile {
  let text: string;
  try {
    text = readText(path);
  } catch (e) {
    return { path, cases: [], diagnostics: [unreadable(path, e)], unreadable: true };
  }
  const source = new SourceFile(path, text);
  const yaml = loadYaml(source);
  if (!yaml.root) return { path, source, cases: [], diagnostics: yaml.diagnostics, unreadable: false };
  const root = yaml.root;
  validator ??= loadValidator(TEST_VALIDATOR_FILE, TEST_FILE_SCHEMA);
  const shape = validateShape(validator, root, path, 'M500');
  const diagnostics: Diagnostic[] = [...yaml.diagnostics, ...shape];
  if (root.kind !== 'map') return { path, source, cases: [], diagnostics, unreadable: false };
  const cases: TestCase[] = [];
  const casesNode = getPair(root, 'cases')?.value;
  if (casesNode?.kind === 'seq') {
    casesNode.items.forEach((item, index) => {
      if (item.kind !== 'map') return;
      // The format's own problems inside this case (the schema found them); the case-level checks
      // below still run, so an empty `expect` is not hidden behind a misspelt key elsewhere.
      const own = shape.some((d) => d.span.start >= item.span.start && d.span.end <= item.span.end);
      const c = toCase(item, index, source, diagnostics, own);
      if (c) cases.push(c);
    });
  }
  const policyNode = getPair(root, 'policy')?.value;
  const policy = policyNode?.kind === 'scalar' && typeof policyNode.value === 'string' && policyNode.value !== '' ? (isAbsolute(policyNode.value) ? policyNode.value : join(dirname(path), policyNode.value)) : undefined;
  return { path, source, ...(policy !== undefined ? { policy } : {}), cases, diagnostics: sortDiagnostics(diagnostics), unreadable: false };
}

/** The name of a case for messages, whatever the file holds there. */
function caseName(node: YamlMap): string {
  const n = getPair(node, 'name')?.value;
  return n?.kind === 'scalar' && n.value !== null ? String(n.value) : '(unnamed)';
}

/**
 * A case ready to run, or undefined when it has a problem (reported here, or by the schema when
 * `broken`). The request/requests and empty-expect checks run on every case either way.
 */
function toCase(node: YamlMap, index: number, source: SourceFile, diagnostics: Diagnostic[], broken: boolean): TestCase | undefined {
  const name = caseName(node);
  const quote = getPair(node, 'quote');
  if (quote !== undefined) return toQuoteCase(node, quote, name, source, diagnostics, broken);
  const request = getPair(node, 'request');
  const requests = getPair(node, 'requests');
  let ok = !broken;
  const both = request !== undefined && requests !== undefined;
  const neither = request === undefined && requests === undefined;
  // With neither key but an unknown one, the schema's "unknown key 'reqest'" (with its did-you-mean)
  // already names the mistake: one report per mistake.
  const misspelt = node.pairs.some((p) => !CASE_KEYS.includes(String(p.key.value)));
  if (both || (neither && !misspelt)) {
    diagnostics.push(
      diag('M500', source.path, both ? requests!.key.span : node.span, both ? `case '${name}' has both 'request' and 'requests'` : `case '${name}' has no 'request'`, {
        hint: "give a case one 'request', a list of 'requests' that share the expectation, or a 'quote'",
      }),
    );
  }
  if (both || neither) ok = false;
  const expectNode = getPair(node, 'expect');
  if (expectNode === undefined) {
    // Worded as the schema words a missing key: only a decision case needs `expect` here.
    diagnostics.push(diag('M500', source.path, node.span, `cases[${index}] is missing required key 'expect'`));
    ok = false;
  } else if (expectNode.value.kind === 'map' && expectNode.value.pairs.length === 0) {
    diagnostics.push(diag('M501', source.path, expectNode.value.span, `case '${name}' expects nothing, so it can never fail`, { hint: 'add allowed, policyId, reason, cost or redirect under expect' }));
    ok = false;
  }
  if (!ok) return undefined;
  // The schema has passed this case: every key has its declared type.
  const v = toValue(node) as { name: string; request?: unknown; requests?: unknown[]; params?: Record<string, unknown>; expect: Expectation };
  const paramsNode = getPair(node, 'params')?.value;
  const params = new Map<string, { key: Span; value: Span }>();
  if (paramsNode?.kind === 'map') for (const p of paramsNode.pairs) params.set(String(p.key.value), { key: p.key.span, value: p.value.span });
  const policyId = expectNode?.value.kind === 'map' ? getPair(expectNode.value, 'policyId')?.value.span : undefined;
  return {
    name: v.name,
    file: source.path,
    line: source.position(node.span.start).line,
    span: node.span,
    requests: request ? [v.request] : v.requests!,
    ...(v.params ? { params: v.params } : {}),
    expect: v.expect,
    spans: { params, ...(policyId ? { policyId } : {}) },
  };
}

/** The keys of a quote expectation that are amounts or lines (everything but `error`). */
const QUOTE_AMOUNT_KEYS = ['totalMinor', 'subtotalMinor', 'taxMinor', 'lines', 'tax'] as const;

/**
 * A quote case ready to run, or undefined when it has a problem. A case checks one decision or
 * one quote: `request`, `requests`, `params` and a top-level `expect` do not go with `quote`.
 */
function toQuoteCase(node: YamlMap, quote: YamlPair, name: string, source: SourceFile, diagnostics: Diagnostic[], broken: boolean): QuoteCase | undefined {
  let ok = !broken;
  const problem = (at: Span, message: string, hint: string, code: 'M500' | 'M501' = 'M500'): void => {
    diagnostics.push(diag(code, source.path, at, message, { hint }));
    ok = false;
  };
  for (const key of ['request', 'requests'] as const) {
    const other = getPair(node, key);
    if (other) problem(other.key.span, `case '${name}' has both '${key}' and 'quote'`, `a case checks one decision or one quote: split it into a case with '${key}' and 'expect', and one with 'quote'`);
  }
  const expectTop = getPair(node, 'expect');
  if (expectTop) problem(expectTop.key.span, `case '${name}' has both 'expect' and 'quote'`, "a quote case's expectation goes under quote.expect");
  const params = getPair(node, 'params');
  if (params) problem(params.key.span, `case '${name}' has 'params' and 'quote'`, 'params change decisions, not quotes: remove them from this case');
  const expectNode = quote.value.kind === 'map' ? getPair(quote.value, 'expect')?.value : undefined;
  if (expectNode?.kind === 'map') {
    const keys = expectNode.pairs.map((p) => String(p.key.value));
    if (keys.length === 0) problem(expectNode.span, `case '${name}' expects nothing, so it can never fail`, 'add totalMinor, subtotalMinor, taxMinor, lines, tax or error under quote.expect', 'M501');
    const amounts = keys.filter((k) => (QUOTE_AMOUNT_KEYS as readonly string[]).includes(k));
    if (keys.includes('error') && amounts.length > 0) {
      const at = expectNode.pairs.find((p) => p.key.value === amounts[0])!.key.span;
      problem(at, `case '${name}' expects the quote to fail and also expects ${amounts.join(', ')}`, 'a quote that fails has no amounts: expect either error or the amounts');
    }
  }
  if (!ok) return undefined;
  // The schema has passed this case: every key has its declared type.
  const v = toValue(quote.value) as { assets: string[]; user?: Record<string, unknown>; expect: QuoteExpectation };
  return {
    kind: 'quote',
    name,
    file: source.path,
    line: source.position(node.span.start).line,
    span: node.span,
    assets: v.assets,
    ...(v.user ? { user: v.user } : {}),
    expect: v.expect,
    spans: { params: new Map() },
  };
}

/** Expand arguments into test files: folders are searched (recursively) for `*.test.yaml`. */
export function findTestFiles(paths: readonly string[]): { files: string[]; missing: string[]; problems: WalkProblem[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const problems: WalkProblem[] = [];
  for (const p of paths) {
    if (isFolder(p)) {
      const found = walkFiles(p, (name) => TEST_FILE.test(name));
      files.push(...found.files);
      problems.push(...found.problems);
    } else if (existsSync(p)) files.push(p);
    else missing.push(p);
  }
  const seen = new Set<string>();
  return { files: files.filter((f) => !seen.has(resolve(f)) && seen.add(resolve(f)) !== undefined), missing, problems };
}
