/**
 * The front end as a named list of stages: read → yaml → shape → env → build → check → lint.
 * Each stage reports diagnostics; later stages run as far as the earlier ones allow, so errors in
 * one rule never hide errors in the next.
 */
import { readFileSync } from 'node:fs';
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
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { diagnostics: [unreadable(path, e)], unreadable: true, timings: {} };
  }
  return loadPolicyText(path, text, opts);
}

/** Describe why a file could not be read, without a stack trace. */
export function unreadable(path: string, e: unknown): Diagnostic {
  const code = (e as { code?: string }).code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message : String(e);
  return diag('M100', path, { start: 0, end: 0 }, `cannot read '${path}': ${why}`, { hint: code === 'ENOENT' ? 'check the path; it is relative to the current directory' : undefined });
}

/** Run the whole front end on policy text. */
export function loadPolicyText(path: string, text: string, opts: LintOptions = {}): LoadedPolicy {
  const timings: Record<string, number> = {};
  const time = <T>(stage: string, f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    timings[stage] = (timings[stage] ?? 0) + performance.now() - t0;
    return r;
  };
  const source = new SourceFile(path, text);
  const diagnostics: Diagnostic[] = [];
  const yaml = time('yaml', () => loadYaml(source));
  diagnostics.push(...yaml.diagnostics);
  const root = yaml.root;
  if (!root) return { source, diagnostics, unreadable: false, timings };
  diagnostics.push(...time('shape', () => validatePolicyShape(root, path)));
  if (root.kind !== 'map') return { source, diagnostics, unreadable: false, timings };
  const { env, diagnostics: envDiags } = time('env', () => buildEnv(path, getPair(root, 'schema')?.value, getPair(root, 'params')?.value));
  diagnostics.push(...envDiags);
  const built = time('build', () => buildPolicy(source, root, env));
  diagnostics.push(...built.diagnostics);
  const checked = time('check', () => checkPolicy(built.policy));
  diagnostics.push(...checked.diagnostics);
  diagnostics.push(...time('lint', () => lintPolicy(built.policy, checked.types)));
  return { source, policy: built.policy, types: checked.types, diagnostics: applySeverity(dedupe(diagnostics), opts), unreadable: false, timings };
}

/**
 * Drop repeats: the same problem found by two stages (same code, place and message), and a later
 * error on exactly the span an earlier stage already reported an error on (the shape check and
 * the policy builder both see a `null` constraint or a bad `schema:` entry; one message is enough).
 */
function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const errorSpans = new Set<string>();
  return diags.filter((d) => {
    const k = `${d.code}:${d.span.start}:${d.span.end}:${d.message}`;
    const at = `${d.span.start}:${d.span.end}`;
    if (seen.has(k) || (d.severity === 'error' && errorSpans.has(at))) return false;
    seen.add(k);
    if (d.severity === 'error') errorSpans.add(at);
    return true;
  });
}
