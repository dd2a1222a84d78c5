/**
 * The front end as a named list of stages: read → yaml → shape → env → build → check → lint.
 * Each stage reports diagnostics; later stages run as far as the earlier ones allow, so errors in
 * one rule never hide errors in the next.
 */
import { describeFsError, readText } from '../io/files.js';
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import { SourceFile } from '../diag/source.js';
import { buildEnv } from '../check/env.js';
import { checkPolicy, type TypeMap } from '../check/checker.js';
import { applySeverity, lintPolicy, type LintOptions } from '../lint/registry.js';
import { validatePolicyShape } from '../schema/validate.js';
import { loadYaml } from '../yaml/load.js';
import { getPair } from '../yaml/node.js';
import { buildPolicy } from './build.js';
import type { Policy } from './model.js';

/** A loaded and checked policy; `policy` is absent when the file could not be modelled at all. */
export interface LoadedPolicy {
  readonly source?: SourceFile;
  readonly policy?: Policy;
  readonly types?: TypeMap;
  readonly diagnostics: readonly Diagnostic[];
  /** The file could not be read (exit code 2 rather than 1). */
  readonly unreadable: boolean;
  /** Milliseconds spent in each stage, for `--timings`. */
  readonly timings: Readonly<Record<string, number>>;
}

/** Whether a load produced errors (warnings do not count). */
export function hasErrors(r: { diagnostics: readonly Diagnostic[] }): boolean {
  return r.diagnostics.some((d) => d.severity === 'error');
}

/** Read a policy file from disk and run the whole front end on it. */
export function loadPolicyFile(path: string, opts: LintOptions = {}): LoadedPolicy {
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
  const hint = code === 'ENOENT' ? 'check the path; it is relative to the current directory' : code === 'ENOTUTF8' ? 'save the file as UTF-8' : undefined;
  return diag('M100', path, { start: 0, end: 0 }, `cannot read '${path}': ${describeFsError(e)}`, { hint });
}

/** Run the whole front end on policy text. */
export function loadPolicyText(path: string, text: string, opts: LintOptions = {}): LoadedPolicy {
  const timings: Record<string, number> = {};
  const stages: Diagnostic[][] = [];
  const time = <T>(stage: string, f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    timings[stage] = (timings[stage] ?? 0) + performance.now() - t0;
    return r;
  };
  const result = (extra: Partial<LoadedPolicy> = {}): LoadedPolicy => ({ source, diagnostics: applySeverity(dedupe(stages), opts), unreadable: false, timings, ...extra });
  const source = new SourceFile(path, text);
  const yaml = time('yaml', () => loadYaml(source));
  stages.push([...yaml.diagnostics]);
  const root = yaml.root;
  if (!root) return result();
  stages.push(time('shape', () => validatePolicyShape(root, path)));
  if (root.kind !== 'map') return result();
  const { env, diagnostics: envDiags } = time('env', () => buildEnv(path, getPair(root, 'schema')?.value, getPair(root, 'params')?.value));
  stages.push(envDiags);
  const built = time('build', () => buildPolicy(source, root, env));
  stages.push(built.diagnostics);
  const checked = time('check', () => checkPolicy(built.policy));
  stages.push(checked.diagnostics);
  stages.push(time('lint', () => lintPolicy(built.policy, checked.types)));
  return result({ policy: built.policy, types: checked.types });
}

/**
 * Drop repeats: the same problem found twice (same code, place and message), and an error from a
 * later stage on exactly the span an earlier stage already reported an error on (the shape check
 * and the policy builder both see a `null` constraint or a bad `schema:` entry; one message is
 * enough). Errors of one stage never hide each other.
 */
function dedupe(stages: readonly (readonly Diagnostic[])[]): Diagnostic[] {
  const seen = new Set<string>();
  const earlier = new Set<string>();
  const out: Diagnostic[] = [];
  for (const stage of stages) {
    const here: string[] = [];
    for (const d of stage) {
      const k = `${d.code}:${d.span.start}:${d.span.end}:${d.message}`;
      const at = `${d.span.start}:${d.span.end}`;
      if (seen.has(k) || (d.severity === 'error' && earlier.has(at))) continue;
      seen.add(k);
      if (d.severity === 'error') here.push(at);
      out.push(d);
    }
    for (const at of here) earlier.add(at);
  }
  return out;
}
