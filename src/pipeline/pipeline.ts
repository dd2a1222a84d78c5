/**
 * The front end as one named list of stages: yaml → schema → model → check → lint → lower. Each
 * stage consumes what the one before it produced and reports its own diagnostics; later stages run
 * as far as the earlier ones allow, so errors in one rule never hide errors in the next. Lowering
 * needs a policy without errors; it is the last stage and the only one that produces IR.
 */
import { describeFsError, readText } from '../io/files.js';
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import { SourceFile } from '../diag/source.js';
import { checkPolicy, type Checked } from '../check/checker.js';
import { applySeverity, lintPolicy, type LintOptions } from '../lint/registry.js';
import { validatePolicyShape } from '../schema/validate.js';
import { loadYaml } from '../yaml/load.js';
import { buildPolicy } from '../policy/build.js';
import type { Policy } from '../policy/model.js';
import { lowerPolicy } from '../lower/lower.js';
import type { IrPolicy } from '../ir/ir.js';

/** The stages, in the order they run (the names `--timings` prints). */
export const STAGES = ['yaml', 'schema', 'model', 'check', 'lint', 'lower'] as const;
export type Stage = (typeof STAGES)[number];

export interface PipelineOptions extends LintOptions {
  /** The last stage to run (default `lower`): `lint` needs no IR. */
  readonly until?: Stage;
}

/** What the front end made of a policy file; each part is present when its stage ran. */
export interface LoadedPolicy {
  readonly source?: SourceFile;
  readonly policy?: Policy;
  readonly checked?: Checked;
  /** Present when the policy has no errors and lowering ran. */
  readonly ir?: IrPolicy;
  readonly diagnostics: readonly Diagnostic[];
  /** The file could not be read (exit code 2 rather than 1). */
  readonly unreadable: boolean;
  /** Milliseconds spent in each stage, for `--timings`. */
  readonly timings: Readonly<Partial<Record<Stage, number>>>;
}

/** A policy that loaded without errors, lowered and ready to compile or run. */
export interface CheckedPolicy {
  readonly policy: Policy;
  readonly ir: IrPolicy;
  readonly source: SourceFile;
  /** Warnings and infos (a policy with errors is never a CheckedPolicy). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether a load produced errors (warnings do not count). */
export function hasErrors(r: { diagnostics: readonly Diagnostic[] }): boolean {
  return r.diagnostics.some((d) => d.severity === 'error');
}

/** A load's policy, lowered, when it has no errors; undefined otherwise. */
export function toChecked(r: LoadedPolicy): CheckedPolicy | undefined {
  if (!r.policy || !r.ir || !r.source || r.unreadable || hasErrors(r)) return undefined;
  return { policy: r.policy, ir: r.ir, source: r.source, diagnostics: r.diagnostics };
}

/** Read a policy file from disk and run the front end on it. */
export function loadPolicyFile(path: string, opts: PipelineOptions = {}): LoadedPolicy {
  let text: string;
  try {
    text = readText(path);
  } catch (e) {
    return { diagnostics: [unreadable(path, e)], unreadable: true, timings: {} };
  }
  return loadPolicyText(path, text, opts);
}

/** Describe why a file could not be read, without a stack trace. */
export function unreadable(path: string, e: unknown): Diagnostic {
  const code = (e as { code?: string }).code;
  const own = (e as { hint?: string }).hint;
  const hint = code === 'ENOENT' ? 'check the path; it is relative to the current directory' : code === 'ENOTUTF8' ? 'save the file as UTF-8' : own;
  return diag('M100', path, { start: 0, end: 0 }, `cannot read '${path}': ${describeFsError(e)}`, { hint });
}

/** Run the front end on policy text named `path`. */
export function loadPolicyText(path: string, text: string, opts: PipelineOptions = {}): LoadedPolicy {
  const last = STAGES.indexOf(opts.until ?? 'lower');
  const timings: Partial<Record<Stage, number>> = {};
  const diagnostics: Diagnostic[] = [];
  /** Run a stage when it is within `until`, timing it and collecting what it reports. */
  const stage = <T extends { diagnostics?: readonly Diagnostic[] }>(name: Stage, f: () => T): T | undefined => {
    if (STAGES.indexOf(name) > last) return undefined;
    const t0 = performance.now();
    const r = f();
    timings[name] = performance.now() - t0;
    if (r.diagnostics) diagnostics.push(...r.diagnostics);
    return r;
  };
  const source = new SourceFile(path, text);
  const done = (extra: Partial<LoadedPolicy> = {}): LoadedPolicy => ({ source, diagnostics: applySeverity(diagnostics, opts), unreadable: false, timings, ...extra });

  const root = stage('yaml', () => loadYaml(source))?.root;
  if (!root) return done();
  stage('schema', () => ({ diagnostics: validatePolicyShape(root, path) }));
  if (root.kind !== 'map') return done();
  const policy = stage('model', () => buildPolicy(source, root))?.policy;
  if (!policy) return done();
  const checked = stage('check', () => checkPolicy(policy));
  if (!checked) return done({ policy });
  stage('lint', () => ({ diagnostics: lintPolicy(policy, checked.types) }));
  if (hasErrors({ diagnostics: applySeverity(diagnostics, opts) })) return done({ policy, checked });
  const ir = stage('lower', () => ({ ir: lowerPolicy(policy, checked), diagnostics: [] }))?.ir;
  return done({ policy, checked, ...(ir ? { ir } : {}) });
}
