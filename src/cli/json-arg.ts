/** JSON arguments given inline or as `@file` (`@-` reads standard input). */
import { readFileSync } from 'node:fs';
import { UsageError } from './exit.js';

/** Parse a JSON option value; errors name the option, the file and the line:column. */
export function readJsonArg(option: string, value: string): unknown {
  let text = value;
  let where = option;
  if (value.startsWith('@')) {
    const path = value.slice(1);
    where = path === '-' ? 'standard input' : path;
    try {
      text = readFileSync(path === '-' ? 0 : path, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new UsageError(`${option}: cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    let at = '';
    if (pos) {
      const offset = Number(pos[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      at = `:${line}:${column}`;
    }
    throw new UsageError(`${where}${at}: invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, value.startsWith('@') ? 'the file must hold one JSON object' : `quote the JSON for your shell, or pass ${option} @request.json`);
  }
}
