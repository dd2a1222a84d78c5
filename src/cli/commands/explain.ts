/** `monetize explain <policy> --request <json|@file>`: one decision and why. */
import { createInterpreter } from '../../interp/interpreter.js';
import { explanationJson, explanationPretty } from '../../interp/render.js';
import { checkParamOverrides } from '../../interp/params.js';
import { EXIT, UsageError } from '../exit.js';
import { useColor, type Io } from '../io.js';
import { readJsonArg } from '../json-arg.js';
import { loadChecked } from '../load-checked.js';

interface ExplainFlags {
  request: string;
  params?: string;
  format: 'pretty' | 'json';
}

/** Run the explain command. */
export function explainCommand([policyPath, flags]: [string, ExplainFlags], io: Io): number {
  const request = readJsonArg('--request', flags.request);
  const params = flags.params === undefined ? undefined : readJsonArg('--params', flags.params);
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    throw new UsageError('--params must be a JSON object of param names to values', `for example --params '{"surge": 1.5}'`);
  }
  const checked = loadChecked(policyPath, io, { quietWarnings: true });
  if ('exit' in checked) return checked.exit;
  // An override the policy would not use (an unknown name, or a value `decide` reads as absent)
  // would quietly change the decision being explained; the user meant something else.
  const problems = params === undefined ? [] : checkParamOverrides(checked.ir.params, params as Record<string, unknown>);
  for (const p of problems) io.err(`monetize: error: --params: ${p.message}\n  = help: ${p.hint}\n`);
  if (problems.length > 0) return EXIT.usage;
  const explanation = createInterpreter(checked.ir).explain(request, params === undefined ? undefined : { params });
  if (flags.format === 'json') io.out(`${JSON.stringify(explanationJson(explanation, checked.source), null, 2)}\n`);
  else io.out(explanationPretty(explanation, checked.source, useColor(io, 'pretty')));
  return EXIT.ok;
}
