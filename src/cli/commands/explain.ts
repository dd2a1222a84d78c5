/** `monetize explain <policy> --request <json|@file>`: one decision and why. */
import { createInterpreter } from '../../interp/interpreter.js';
import { explanationJson, explanationPretty } from '../../interp/render.js';
import { EXIT } from '../exit.js';
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
  const checked = loadChecked(policyPath, io, { quietWarnings: true });
  if ('exit' in checked) return checked.exit;
  const explanation = createInterpreter(checked.ir).explain(request, params === undefined ? undefined : { params });
  if (flags.format === 'json') io.out(`${JSON.stringify(explanationJson(explanation, checked.source), null, 2)}\n`);
  else io.out(explanationPretty(explanation, checked.source, useColor(io, 'pretty')));
  return EXIT.ok;
}
