/** `monetize explain <policy> --request <json|@file>`: one decision and why. */
import { createInterpreter } from '../../interp/interpreter.js';
import { explanationJson, explanationPretty } from '../../interp/render.js';
import { didYouMean } from '../../diag/suggest.js';
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
  const known = checked.ir.params.map((p) => p.name);
  for (const name of Object.keys(params ?? {})) {
    if (!known.includes(name)) io.err(`monetize: warning: --params names '${name}', which the policy does not define${didYouMean(name, known) ? `; ${didYouMean(name, known)}` : ''}\n`);
  }
  const explanation = createInterpreter(checked.ir).explain(request, params === undefined ? undefined : { params });
  if (flags.format === 'json') io.out(`${JSON.stringify(explanationJson(explanation, checked.source), null, 2)}\n`);
  else io.out(explanationPretty(explanation, checked.source, useColor(io, 'pretty')));
  return EXIT.ok;
}
