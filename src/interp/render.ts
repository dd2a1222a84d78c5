/** Rendering explanations: the stable JSON shape and the terminal form. */
import { Chalk } from 'chalk';
import { oneLine as safe } from '../diag/escape.js';
import type { SourceFile } from '../diag/source.js';
import type { Explanation, TraceEntry } from './interpreter.js';
import { hasOwn } from '../runtime/runtime.js';

/** The explain JSON shape (spans turned into 1-based lines and columns). */
export function explanationJson(e: Explanation, source: SourceFile): unknown {
  return {
    decision: e.decision,
    trace: e.trace.map((t) => ({
      ruleId: t.ruleId,
      priority: t.priority,
      matched: t.matched,
      ...(t.failed
        ? {
            failed: {
              expression: t.failed.expression,
              ...source.position(t.failed.span.start),
              values: t.failed.values,
              ...(t.failed.missing.length ? { missing: t.failed.missing } : {}),
              ...(t.failed.outcome !== 'false' ? { outcome: t.failed.outcome } : {}),
            },
          }
        : {}),
      ...(t.skipped ? { skipped: t.skipped } : {}),
    })),
    ...(e.cost
      ? {
          cost: {
            ruleId: e.cost.ruleId,
            base: e.cost.base,
            multipliers: e.cost.multipliers,
            raw: e.cost.raw,
            result: e.cost.result,
            rounding: e.cost.rounding,
            ...(e.cost.error ? { error: e.cost.error } : {}),
          },
        }
      : {}),
  };
}

function formatValue(v: unknown): string {
  return v === null ? 'absent or wrong type' : safe(JSON.stringify(v));
}

/**
 * Human-readable explanation. Everything the policy or the request supplies (rule ids, reasons,
 * redirects, expression text, values, error messages, the file name) goes through `safe`: a
 * reason of `"\u001b[2J\u001b[HALLOW by admin"` must not clear the screen and print a verdict.
 */
export function explanationPretty(e: Explanation, source: SourceFile, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const d = e.decision;
  const lines: string[] = [];
  const verdict = d.allowed ? c.green.bold('ALLOW') : c.red.bold('DENY');
  // A decision is a plain object, as compiled modules return it: its optional keys are read as own.
  const reason = hasOwn(d, 'reason') ? d.reason : undefined;
  const cost = hasOwn(d, 'cost') ? d.cost : undefined;
  const redirect = hasOwn(d, 'redirect') ? d.redirect : undefined;
  const extras = [reason !== undefined ? `reason=${safe(reason)}` : '', cost !== undefined ? `cost=${cost}` : '', redirect !== undefined ? `redirect=${safe(redirect)}` : ''].filter(Boolean);
  lines.push(`decision: ${verdict} by ${c.bold(safe(d.policyId))}${extras.length ? `  ${extras.join('  ')}` : ''}`);
  for (const err of (hasOwn(d, 'errors') ? d.errors : undefined) ?? []) lines.push(`  ${c.red('•')} ${safe(err)}`);
  if (e.trace.length) lines.push('', 'rules, in evaluation order:');
  const mark = (t: TraceEntry): string => (t.matched ? c.green('✓') : t.failed ? c.red('✗') : c.dim('·'));
  for (const t of e.trace) {
    let line = `  ${mark(t)} ${safe(t.ruleId)} ${c.dim(`(priority ${t.priority})`)}`;
    if (t.matched) line += '  decided';
    if (t.failed) {
      const pos = source.position(t.failed.span.start);
      const why = t.failed.outcome === 'false' ? 'is false' : t.failed.outcome === 'missing' ? `reads ${safe(t.failed.missing.join(', '))}, absent or of the wrong type` : 'computes a value that is not a finite number';
      line += `\n      failed: ${safe(t.failed.expression)} ${c.dim(`(${why})`)}  ${c.dim(`${safe(source.path)}:${pos.line}:${pos.column}`)}`;
      for (const [k, v] of Object.entries(t.failed.values)) line += `\n        ${safe(k)} = ${formatValue(v)}`;
    }
    if (t.skipped) line += `  ${c.dim(safe(t.skipped))}`;
    lines.push(line);
  }
  if (e.cost) {
    const k = e.cost;
    lines.push('', `cost of ${safe(k.ruleId)}:`);
    lines.push(`  base ${k.base ?? 'unavailable'}`);
    for (const m of k.multipliers) {
      const state = m.applied === null ? c.red('could not be evaluated') : m.applied ? `applied ×${m.value ?? '?'}` : c.dim('not applied');
      lines.push(`  if ${safe(m.if)}: ${state}`);
    }
    if (k.error) lines.push(`  ${c.red(safe(k.error))}`);
    else lines.push(`  = ${k.raw}, rounded ${k.rounding.mode} to ${k.rounding.decimals} decimals: ${c.bold(String(k.result))}`);
  }
  return `${lines.join('\n')}\n`;
}
