/**
 * Running one lint rule on policy text, for the per-rule unit tests: the rule alone, on the front
 * end's output, so a test is about that rule and not about what the other stages report.
 */
import { expect } from 'vitest';
import type { Code } from '../../src/diag/codes.js';
import type { Severity } from '../../src/diag/diagnostic.js';
import type { LintRule } from '../../src/lint/rule.js';
import { frontEnd } from './front-end.js';

/** A diagnostic as the user sees it: the source text it underlines instead of raw offsets. */
export interface Found {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  /** `text.slice(span.start, span.end)`: what the caret underlines. */
  readonly at: string;
  readonly hint: string | undefined;
  /** The source text under each secondary label, with its message. */
  readonly labels: readonly { readonly at: string; readonly message: string }[];
}

/**
 * Run `rule` on a policy. By default the policy must have no front-end errors, so that a
 * near-miss is silent because the rule judged it, not because the policy was broken; pass
 * `errors: true` for the cases about broken policies.
 */
export function runRule(rule: LintRule, yaml: string, opts: { errors?: boolean } = {}): Found[] {
  const { policy, types, diagnostics } = frontEnd(yaml);
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
  if (opts.errors) expect(errors, 'this case is about a policy with errors').not.toEqual([]);
  else expect(errors, 'the test policy itself must be valid').toEqual([]);
  const at = (s: { start: number; end: number }): string => yaml.slice(s.start, s.end);
  return rule.run(policy, types).map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    at: at(d.span),
    hint: d.hint,
    labels: (d.labels ?? []).map((l) => ({ at: at(l.span), message: l.message })),
  }));
}

/** A policy document: `version: "1.0"`, optional extra top-level YAML, then the rules given as YAML lines. */
export function policy(rules: string, head = ''): string {
  return `version: "1.0"\n${head}rules:\n${rules}`;
}

/** One rule as YAML list lines; `body` holds the keys after the id (already indented by 4). */
export function rule(id: string, body: string): string {
  return `  - id: ${id}\n${body.replace(/^/gm, '    ')}\n`;
}
