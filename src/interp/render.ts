/** Rendering explanations: the stable JSON shape and the terminal form. */
import { Chalk } from 'chalk';
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
  return v === null ? 'absent or wrong type' : JSON.stringify(v);
}

/** Human-readable explanation. */
export function explanationPretty(e: Explanation, source: SourceFile, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const d = e.decision;
  const lines: string[] = [];
  const verdict = d.allowed ? c.green.bold('ALLOW') : c.red.bold('DENY');
  // A decision is a plain object, as compiled modules return it: its optional keys are read as own.
  const reason = hasOwn(d, 'reason') ? d.reason : undefined;
  const cost = hasOwn(d, 'cost') ? d.cost : undefined;
  const redirect = hasOwn(d, 'redirect') ? d.redirect : undefined;
  const extras = [reason !== undefined ? `reason=${reason}` : '', cost !== undefined ? `cost=${cost}` : '', redirect !== undefined ? `redirect=${redirect}` : ''].filter(Boolean);
  lines.push(`decision: ${verdict} by ${c.bold(d.policyId)}${extras.length ? `  ${extras.join('  ')}` : ''}`);
  for (const err of (hasOwn(d, 'errors') ? d.errors : undefined) ?? []) lines.push(`  ${c.red('•')} ${err}`);
  if (e.trace.length) lines.push('', 'rules, in evaluation order:');
  const mark = (t: TraceEntry): string => (t.matched ? c.green('✓') : t.failed ? c.red('✗') : c.dim('·'));
  for (const t of e.trace) {
    let line = `  ${mark(t)} ${t.ruleId} ${c.dim(`(priority ${t.priority})`)}`;
    if (t.matched) line += '  decided';
    if (t.failed) {
      const pos = source.position(t.failed.span.start);
      const why = t.failed.outcome === 'false' ? 'is false' : t.failed.outcome === 'missing' ? `reads ${t.failed.missing.join(', ')}, absent or of the wrong type` : 'computes a value that is not a finite number';
      line += `\n      failed: ${t.failed.expression} ${c.dim(`(${why})`)}  ${c.dim(`${source.path}:${pos.line}:${pos.column}`)}`;
      for (const [k, v] of Object.entries(t.failed.values)) line += `\n        ${k} = ${formatValue(v)}`;
    }
    if (t.skipped) line += `  ${c.dim(t.skipped)}`;
    lines.push(line);
  }
  if (e.cost) {
    const k = e.cost;
    lines.push('', `cost of ${k.ruleId}:`);
    lines.push(`  base ${k.base ?? 'unavailable'}`);
    for (const m of k.multipliers) {
      const state = m.applied === null ? c.red('could not be evaluated') : m.applied ? `applied ×${m.value ?? '?'}` : c.dim('not applied');
      lines.push(`  if ${m.if}: ${state}`);
    }
    if (k.error) lines.push(`  ${c.red(k.error)}`);
    else lines.push(`  = ${k.raw}, rounded ${k.rounding.mode} to ${k.rounding.decimals} decimals: ${c.bold(String(k.result))}`);
  }
  return `${lines.join('\n')}\n`;
}
