/** JSON arguments given inline or as `@file` (`@-` reads standard input). */
import { describeFsError, readText } from '../io/files.js';
import { findJsonError, lineColumn } from '../diag/json-error.js';
import { UsageError } from './exit.js';

/** Parse a JSON option value; errors name the option, the file and the line:column. */
export function readJsonArg(option: string, value: string): unknown {
  let text = value;
  let where = option;
  if (value.startsWith('@')) {
    const path = value.slice(1);
    where = path === '-' ? 'standard input' : path;
    try {
      text = readText(path);
    } catch (e) {
      throw new UsageError(`${option}: cannot read '${path}': ${describeFsError(e)}`, (e as { hint?: string }).hint);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const problem = findJsonError(text);
    const at = problem ? lineColumn(text, problem.offset) : undefined;
    const what = problem ? problem.message : e instanceof Error ? e.message : String(e);
    throw new UsageError(`${where}${at ? `:${at.line}:${at.column}` : ''}: invalid JSON: ${what}`, value.startsWith('@') ? 'the file must hold one JSON object' : `quote the JSON for your shell, or pass ${option} @request.json`);
  }
}
