/**
 * `monetize explain <policy> --request <json|@file>`: one decision and why.
 * `monetize explain <policy> --quote a,b,… [--user <json|@file>]`: one quote and why — the bundle
 * covers considered and the tax rule matched.
 */
import { createInterpreter } from '../../interp/interpreter.js';
import { explanationJson, explanationPretty } from '../../interp/render.js';
import { checkParamOverrides } from '../../interp/params.js';
import { explainQuote } from '../../interp/quote-explain.js';
import { quoteErrorText, quoteExplanationJson, quoteExplanationPretty } from '../../interp/render-quote.js';
import type { CheckedPolicy } from '../../pipeline/pipeline.js';
import { EXIT, UsageError } from '../exit.js';
import { useColor, type Io } from '../io.js';
import { readJsonArg } from '../json-arg.js';
import { loadChecked } from '../load-checked.js';

interface ExplainFlags {
  request?: string;
  quote?: string;
  user?: string;
  params?: string;
  format: 'pretty' | 'json';
}

const EXAMPLE = "monetize explain policy.yaml --quote model:llm-base,dataset:training-corpus --user '{\"country\": \"DE\"}'";

/** Run the explain command. */
export function explainCommand([policyPath, flags]: [string, ExplainFlags], io: Io): number {
  if (flags.request !== undefined && flags.quote !== undefined) throw new UsageError('give --request or --quote, not both', 'explain one decision (--request) or one quote (--quote) per call');
  if (flags.quote !== undefined) return explainQuoteCommand(policyPath, flags.quote, flags, io);
  if (flags.request === undefined) throw new UsageError('give --request (a decision to explain) or --quote (a quote to explain)', `monetize explain policy.yaml --request @request.json, or ${EXAMPLE}`);
  if (flags.user !== undefined) throw new UsageError('--user goes with --quote; a decision reads the user from the request\'s context');
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

/** Asset ids as written after --quote: comma-separated, spaces around each trimmed. */
function assetList(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}

function explainQuoteCommand(policyPath: string, quote: string, flags: ExplainFlags, io: Io): number {
  if (flags.params !== undefined) throw new UsageError('--params goes with --request; params change decisions, not quotes');
  const assetIds = assetList(quote);
  const user = flags.user === undefined ? undefined : readJsonArg('--user', flags.user);
  if (user !== undefined && (typeof user !== 'object' || user === null || Array.isArray(user))) {
    throw new UsageError('--user must be a JSON object: the buyer, as a request\'s context (country, vatId)', `for example --user '{"country": "DE", "vatId": "DE123456789"}'`);
  }
  const checked: CheckedPolicy | { exit: number } = loadChecked(policyPath, io, { quietWarnings: true });
  if ('exit' in checked) return checked.exit;
  const regions = checked.policy.tax?.rules.map((r) => r.region);
  const explanation = explainQuote(checked.ir.quote, assetIds, user === undefined ? undefined : { context: user }, regions === undefined ? {} : { regions });
  if ('error' in explanation.quote) {
    io.err(`monetize: error: cannot quote: ${quoteErrorText(explanation.quote)}\n`);
    return EXIT.usage;
  }
  if (flags.format === 'json') io.out(`${JSON.stringify(quoteExplanationJson(explanation), null, 2)}\n`);
  else io.out(quoteExplanationPretty(explanation, useColor(io, 'pretty')));
  return EXIT.ok;
}
