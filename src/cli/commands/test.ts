/** `monetize test <policy> [tests…]`: run policy test cases; `--record` turns a log into cases. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeFsError, isFolder, TEST_FILE, YAML_FILE } from '../../io/files.js';
import { basename, dirname, extname, join, relative } from 'node:path';
import { renderPretty } from '../../diag/render/pretty.js';
import { diag, type Diagnostic } from '../../diag/diagnostic.js';
import type { SourceFile } from '../../diag/source.js';
import { findTestFiles, loadTestFile, type TestCase } from '../../testing/load.js';
import { checkCases } from '../../testing/check.js';
import { oneLine } from '../../diag/escape.js';
import type { CheckedPolicy } from '../../pipeline/pipeline.js';
import { runCases } from '../../testing/run.js';
import type { PolicyRun, TestReport } from '../../testing/report/model.js';
import { totals } from '../../testing/report/model.js';
import { renderTestJson } from '../../testing/report/json.js';
import { renderTestJunit } from '../../testing/report/junit.js';
import { renderTestMarkdown } from '../../testing/report/markdown.js';
import { renderTestPretty } from '../../testing/report/pretty.js';
import { recordCases, recordedYaml } from '../../testing/record.js';
import { EXIT, UsageError } from '../exit.js';
import { refuseOverwrite, useColor, writeOutputs, type Io } from '../io.js';
import { loadChecked } from '../load-checked.js';

interface TestFlags {
  format: 'pretty' | 'json' | 'junit' | 'markdown';
  coverage?: boolean;
  minCoverage?: string;
  output?: string;
  record?: string;
}


/** Split arguments into the policy and the test files/folders. */
function classify(paths: readonly string[]): { policy?: string; tests: string[] } {
  const tests: string[] = [];
  const policies: string[] = [];
  for (const p of paths) {
    if (TEST_FILE.test(p) || !YAML_FILE.test(p)) tests.push(p);
    else policies.push(p);
  }
  if (policies.length > 1) throw new UsageError(`more than one policy given: ${policies.join(', ')}`, 'test one policy per call; test files may name their own policy with `policy:`');
  return policies[0] === undefined ? { tests } : { policy: policies[0], tests };
}

/** Run the test command. */
export async function testCommand([paths, flags]: [string[], TestFlags], io: Io): Promise<number> {
  const { policy, tests } = classify(paths);
  if (flags.record !== undefined) return record(policy, flags, io);
  const minCoverage = flags.minCoverage === undefined ? undefined : Number(flags.minCoverage);
  if (minCoverage !== undefined && !(minCoverage >= 0 && minCoverage <= 100)) throw new UsageError(`--min-coverage takes a percentage from 0 to 100, got '${flags.minCoverage}'`);

  let testPaths = tests;
  if (testPaths.length === 0) {
    if (policy === undefined) throw new UsageError('no policy and no tests given', 'run `monetize test policy.yaml tests/`, or pass test files that name their policy');
    if (!existsSync(policy)) throw new UsageError(`cannot read '${policy}': no such file`);
    const beside = join(dirname(policy), `${basename(policy, extname(policy))}.test.yaml`);
    if (!existsSync(beside)) throw new UsageError(`no test files given and ${beside} does not exist`, 'pass test files or folders after the policy');
    testPaths = [beside];
  }
  const { files, missing, problems: walkProblems } = findTestFiles(testPaths);
  if (missing.length) throw new UsageError(`cannot read ${missing.map((m) => `'${m}'`).join(', ')}: no such file or folder`);
  if (walkProblems.length) throw new UsageError(walkProblems.map((w) => `cannot read '${w.path}': ${w.reason}`).join('\n'));
  if (files.length === 0) throw new UsageError(`no *.test.yaml files under ${testPaths.join(', ')}`);

  // Load every test file and every policy first: a malformed case is exit 2 before anything runs,
  // and every problem in every file is reported in that one run.
  const problems: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  // Keyed by absolute path, so one policy named two ways is run (and covered) once.
  const byPolicy = new Map<string, { shown: string; cases: TestCase[] }>();
  for (const f of files) {
    const t = loadTestFile(f);
    if (t.source) sources.set(f, t.source);
    problems.push(...t.diagnostics);
    const target = t.policy ?? policy;
    if (t.policy !== undefined && policy !== undefined && resolve(t.policy) !== resolve(policy)) {
      io.err(`monetize: note: ${oneLine(f)} names its own policy (${oneLine(t.policy)}); it runs against that, not ${oneLine(policy)}\n`);
    }
    if (target === undefined && t.diagnostics.length === 0) {
      problems.push(diag('M500', f, { start: 0, end: 0 }, 'this test file names no policy and none was given on the command line', { hint: 'add `policy: path/to/policy.yaml` at the top, or pass the policy first' }));
      continue;
    }
    if (target !== undefined) {
      const entry = byPolicy.get(resolve(target)) ?? { shown: target, cases: [] };
      entry.cases.push(...t.cases);
      byPolicy.set(resolve(target), entry);
    }
  }
  const checkedPolicies: { shown: string; cases: TestCase[]; checked: CheckedPolicy }[] = [];
  let policyExit: number | undefined;
  for (const { shown, cases } of byPolicy.values()) {
    const checked = loadChecked(shown, io, { quietWarnings: true });
    if ('exit' in checked) {
      policyExit ??= checked.exit;
      continue;
    }
    problems.push(...checkCases(cases, checked.ir, shown));
    checkedPolicies.push({ shown, cases, checked });
  }
  if (problems.length) {
    io.err(renderPretty(problems, sources, { color: useColor(io, 'pretty', 'stderr') }));
    io.err(`monetize: ${problems.length} problem${problems.length === 1 ? '' : 's'} in test files; nothing was run\n`);
    return EXIT.usage;
  }
  if (policyExit !== undefined) return policyExit;

  const inputs = [...files, ...[...byPolicy.values()].map((p) => p.shown), ...(policy !== undefined ? [policy] : [])];
  if (flags.output !== undefined) refuseOverwrite([flags.output], inputs);
  const runs: PolicyRun[] = checkedPolicies.map(({ shown, cases, checked }) => ({ policy: shown, source: checked.source, ...runCases(checked, cases) }));
  const report: TestReport = { runs, coverage: flags.coverage === true || minCoverage !== undefined, ...(minCoverage !== undefined ? { minCoverage } : {}) };
  const t = totals(report);
  const text =
    flags.format === 'json' ? renderTestJson(report) : flags.format === 'junit' ? renderTestJunit(report) : flags.format === 'markdown' ? renderTestMarkdown(report) : renderTestPretty(report, useColor(io, 'pretty'));
  if (flags.output !== undefined) {
    writeOutputs([{ path: flags.output, content: text }], inputs);
    io.err(`wrote ${flags.output}: ${t.passed} passed, ${t.failed} failed\n`);
  } else io.out(text);

  if (t.total === 0) {
    io.err('monetize: the test files hold no cases; a test run that checks nothing cannot pass\n');
    return EXIT.failed;
  }
  if (t.failed > 0) return EXIT.failed;
  if (minCoverage !== undefined) {
    const low = runs.filter((r) => r.coverage.percent < minCoverage);
    if (low.length) {
      for (const r of low) io.err(`monetize: coverage of ${r.policy} is ${r.coverage.percent}%, below --min-coverage ${minCoverage}% (never decided: ${r.coverage.uncovered.join(', ')})\n`);
      return EXIT.failed;
    }
  }
  return EXIT.ok;
}

async function record(policy: string | undefined, flags: TestFlags, io: Io): Promise<number> {
  if (policy === undefined) throw new UsageError('--record needs the policy whose decisions to record', 'monetize test policy.yaml --record access.jsonl -o policy.test.yaml');
  const log = flags.record!;
  if (!existsSync(log)) throw new UsageError(`cannot read '${log}': no such file`);
  if (isFolder(log)) throw new UsageError(`cannot read '${log}': it is a folder`, 'pass one JSON Lines log file (.jsonl, or .jsonl.gz)');
  const out = flags.output;
  // Before the log is read, which can take a while.
  if (out !== undefined) refuseOverwrite([out], [policy, log]);
  const checked = loadChecked(policy, io, { quietWarnings: true });
  if ('exit' in checked) return checked.exit;
  let rec;
  try {
    rec = await recordCases(checked, log);
  } catch (e) {
    // A read error or a corrupt gzip stream is unreadable input, not a crash.
    const utf8 = (e as { code?: string }).code === 'ENOTUTF8';
    throw new UsageError(`cannot read '${log}': ${describeFsError(e)}`, utf8 ? 'save the log as UTF-8' : log.endsWith('.gz') ? 'is it really gzip-compressed?' : undefined);
  }
  for (const p of rec.problems.slice(0, 20)) io.err(`${p.file}:${p.line}: skipped: ${p.message}\n`);
  if (rec.problems.length > 20) io.err(`… and ${rec.problems.length - 20} more skipped lines\n`);
  if (rec.cases.length === 0) {
    io.err(`monetize: no valid requests in ${log}\n`);
    return EXIT.usage;
  }
  const policyRef = out === undefined ? policy : relative(dirname(out), policy) || basename(policy);
  const yaml = recordedYaml(policyRef.split('\\').join('/'), log, rec);
  if (out === undefined) io.out(yaml);
  else {
    writeOutputs([{ path: out, content: yaml }], [policy, log]);
    io.err(`wrote ${out}: ${rec.cases.length} case${rec.cases.length === 1 ? '' : 's'} from ${rec.lines} log lines\n`);
  }
  return EXIT.ok;
}
