/**
 * Where JSON text goes wrong. `JSON.parse` does the parsing; when it fails, this scanner walks the
 * text by the JSON grammar to find the offset of the first error and say what was expected, so
 * messages can give a line and column (Node 20's messages often carry neither).
 */

export interface JsonProblem {
  readonly offset: number;
  readonly message: string;
}

/** Offset and description of the first syntax error in `text`, or undefined if it is valid JSON. */
export function findJsonError(text: string): JsonProblem | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message } satisfies JsonProblem;
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const found = (): string => (i >= text.length ? 'end of input' : `'${text[i]}'`);
  const value = (depth: number): void => {
    if (depth > 512) fail('nesting is too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a "quoted" key but found ${found()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ':' after the key but found ${found()}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' but found ${found()}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' but found ${found()}`);
      }
    }
    if (c === '"') return string();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length > 0 && m[0] !== '-') {
      i += m[0].length;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail(`expected a value but found ${found()}${c === "'" ? ' (JSON strings use double quotes)' : ''}`);
  };
  const string = (): void => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`invalid escape '\\${e ?? ''}'`);
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('control character in a string (a line break must be written \\n)');
      i++;
    }
    fail('unterminated string');
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${found()} after the JSON value`);
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'offset' in e) return e as JsonProblem;
    throw e;
  }
  return undefined;
}

/** 1-based line and column of an offset in text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
