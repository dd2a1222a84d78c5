/** Reading `*.test.yaml` files: YAML with positions, the test-file schema, one model per case. */
import { isFolder, readText, TEST_FILE, walkFiles, type WalkProblem } from '../io/files.js';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import { SourceFile, type Span } from '../diag/source.js';
import { loadValidator, validateShape } from '../schema/validate.js';
import { unreadable } from '../pipeline/pipeline.js';
import { loadYaml } from '../yaml/load.js';
import { getPair, toValue, type YamlMap } from '../yaml/node.js';
import type { ValidateFunction } from 'ajv';
import { TEST_FILE_SCHEMA, TEST_VALIDATOR_FILE } from './test-schema.js';

/** The expected part of a decision; `null` asserts absence. */
export interface Expectation {
  readonly allowed?: boolean;
  readonly policyId?: string;
  readonly reason?: string | null;
  readonly cost?: number | null;
  readonly redirect?: string | null;
}

export interface TestCase {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly span: Span;
  readonly requests: readonly unknown[];
  readonly params?: Readonly<Record<string, unknown>>;
  readonly expect: Expectation;
}

export interface TestFile {
  readonly path: string;
  readonly source?: SourceFile;
  /** The policy named by the file, resolved relative to it. */
  readonly policy?: string;
  readonly cases: readonly TestCase[];
  readonly diagnostics: readonly Diagnostic[];
  readonly unreadable: boolean;
}

let validator: ValidateFunction | undefined;

/** Load one test file; problems come back as diagnostics (M100, M101…, M500, M501). */
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
  const diagnostics: Diagnostic[] = [...yaml.diagnostics, ...validateShape(validator, root, path, 'M500')];
  if (diagnostics.length > 0 || root.kind !== 'map') return { path, source, cases: [], diagnostics, unreadable: false };
  const cases: TestCase[] = [];
  const casesNode = getPair(root, 'cases')!.value;
  if (casesNode.kind === 'seq') {
    for (const item of casesNode.items) {
      if (item.kind !== 'map') continue;
      const c = toCase(item, source, diagnostics);
      if (c) cases.push(c);
    }
  }
  const policyNode = getPair(root, 'policy')?.value;
  const policy = policyNode?.kind === 'scalar' && typeof policyNode.value === 'string' ? (isAbsolute(policyNode.value) ? policyNode.value : join(dirname(path), policyNode.value)) : undefined;
  return { path, source, ...(policy !== undefined ? { policy } : {}), cases, diagnostics, unreadable: false };
}

function toCase(node: YamlMap, source: SourceFile, diagnostics: Diagnostic[]): TestCase | undefined {
  const v = toValue(node) as { name: string; request?: unknown; requests?: unknown[]; params?: Record<string, unknown>; expect: Expectation };
  const request = getPair(node, 'request');
  const requests = getPair(node, 'requests');
  if ((request === undefined) === (requests === undefined)) {
    diagnostics.push(
      diag('M500', source.path, request && requests ? requests.key.span : node.span, request ? `case '${v.name}' has both 'request' and 'requests'` : `case '${v.name}' has no 'request'`, {
        hint: "give a case one 'request', or a list of 'requests' that share the expectation",
      }),
    );
    return undefined;
  }
  if (Object.keys(v.expect).length === 0) {
    const expectNode = getPair(node, 'expect')!;
    diagnostics.push(diag('M501', source.path, expectNode.value.span, `case '${v.name}' expects nothing, so it can never fail`, { hint: 'add allowed, policyId, reason, cost or redirect under expect' }));
    return undefined;
  }
  return {
    name: v.name,
    file: source.path,
    line: source.position(node.span.start).line,
    span: node.span,
    requests: request ? [v.request] : v.requests!,
    ...(v.params ? { params: v.params } : {}),
    expect: v.expect,
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
