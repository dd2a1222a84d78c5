/**
 * `monetize test --record log.jsonl`: freeze today's behaviour. Every request of an access log is
 * decided; one golden case is kept per distinct "what decided it" (rule, outcome, multipliers).
 */
import { dump } from 'js-yaml';
import type { CheckedPolicy } from '../pipeline/pipeline.js';
import type { AccessDecision } from '../ir/decision.js';
import { instantiate } from '../codegen/compile.js';
import { createInterpreter } from '../interp/interpreter.js';
import { readJsonLines } from '../io/jsonl.js';
import type { Expectation } from './load.js';

export interface RecordProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface Recorded {
  readonly cases: { name: string; request: unknown; expect: Expectation }[];
  readonly lines: number;
  readonly problems: readonly RecordProblem[];
}

/** The decision as a full expectation (errors are not part of it). */
function expectationOf(d: AccessDecision): Expectation {
  return {
    allowed: d.allowed,
    policyId: d.policyId,
    ...(d.reason !== undefined ? { reason: d.reason } : {}),
    ...(d.cost !== undefined ? { cost: d.cost } : {}),
    ...(d.redirect !== undefined ? { redirect: d.redirect } : {}),
  };
}

/** Stream a JSON Lines log (gzip when the name ends in .gz) and keep one case per decision path. */
export async function recordCases(checked: CheckedPolicy, logPath: string): Promise<Recorded> {
  const compiled = instantiate(checked.ir);
  const interp = createInterpreter(checked.ir);
  const seen = new Set<string>();
  const cases: Recorded['cases'] = [];
  const problems: RecordProblem[] = [];
  const log = readJsonLines(logPath);
  // Not `for await`: the reader's return value is the line count, blank lines included.
  for (;;) {
    const next = await log.next();
    if (next.done) return { cases, lines: next.value, problems };
    const item = next.value;
    if ('problem' in item) {
      problems.push({ file: logPath, line: item.line, message: item.problem });
      continue;
    }
    const n = item.line;
    let request = item.value;
    if (typeof request === 'object' && request !== null && !Array.isArray(request) && 'id' in request) {
      // Log lines may carry an id for the simulator; it is not part of the request.
      const { id: _id, ...rest } = request as Record<string, unknown>;
      request = rest;
    }
    const decision = compiled.decide(request);
    const cost = interp.decideWithCost(request).cost;
    const applied = cost && cost.ruleId === decision.policyId ? cost.multipliers.map((m) => (m.applied ? '1' : '0')).join('') : '';
    const key = `${decision.policyId}|${decision.allowed}|${decision.reason ?? ''}|${applied}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const mults = cost && applied.includes('1') ? ` with ${cost.multipliers.filter((m) => m.applied).map((m) => m.if).join(' and ')}` : '';
    cases.push({ name: `${decision.allowed ? 'allow' : 'deny'} by ${decision.policyId}${mults} (log line ${n})`, request, expect: expectationOf(decision) });
  }
}

/** The YAML text of a recorded test file. */
export function recordedYaml(policyRef: string, logPath: string, rec: Recorded): string {
  const shown = logPath.replace(/[\r\n]+/g, " ");
  const header = `# Recorded by \`monetize test --record ${shown}\`: one case per distinct decision path\n# (deciding rule, outcome and cost multipliers) among ${rec.lines} log lines. Review before committing.\n`;
  return header + dump({ policy: policyRef, cases: rec.cases }, { lineWidth: -1, noRefs: true });
}
