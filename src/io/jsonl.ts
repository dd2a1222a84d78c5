/**
 * Streaming JSON Lines reader for access logs (`test --record`, the simulator): gzip when the name
 * ends in .gz, strict UTF-8, one value a line with its line number, blank lines skipped.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform, pipeline, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { NotUtf8Error } from './files.js';

/** One parsed line; `id` is the line's own string `id` property, if any (the value keeps it). */
export interface JsonValueLine {
  readonly line: number;
  readonly value: unknown;
  readonly id?: string;
}

/** A line that is not valid JSON: the caller reports it and goes on with the next line. */
export interface JsonProblemLine {
  readonly line: number;
  readonly problem: string;
}

/** What the reader yields for each non-blank line (line numbers count from 1, blank lines included). */
export type JsonLine = JsonValueLine | JsonProblemLine;

/** Bytes to text, failing on the first invalid byte: a log is never silently repaired with U+FFFD. */
function strictUtf8(): Transform {
  // The default (ignoreBOM: false) drops a leading byte-order mark, once, at the start of the stream.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // `stream: true` keeps a character cut by a chunk boundary for the next chunk; no bytes means the end.
  const step = (done: TransformCallback, bytes?: Buffer): void => {
    let text: string;
    try {
      text = bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      return done(new NotUtf8Error());
    }
    done(null, text);
  };
  return new Transform({
    transform: (chunk: Buffer, _enc, done) => step(done, chunk),
    flush: (done) => step(done),
  });
}

/**
 * Read a JSON Lines file line by line, never whole. File errors (ENOENT, ENOTUTF8, a corrupt gzip
 * stream) are thrown; invalid JSON is yielded as a located problem. Returns the number of lines.
 * `onBytes` hears of every chunk read from the file (compressed bytes for `.gz`), for progress.
 */
export async function* readJsonLines(path: string, onBytes?: (n: number) => void): AsyncGenerator<JsonLine, number, undefined> {
  const raw = createReadStream(path);
  if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
  const text = strictUtf8();
  // pipeline, unlike pipe, destroys every stage with the first error, so a read or gunzip error
  // reaches the line iterator below and is thrown from it. The error is seen there, not here.
  if (path.endsWith('.gz')) pipeline(raw, createGunzip(), text, () => {});
  else pipeline(raw, text, () => {});
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        yield { line: n, problem: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
        continue;
      }
      const id = idOf(value);
      yield id === undefined ? { line: n, value } : { line: n, value, id };
    }
  } finally {
    // A caller that stops early must not leave the file open. Destroying the last stage (without an
    // error, since nothing listens to it any more) makes pipeline close the file too.
    text.destroy();
  }
  return n;
}

/** The own string `id` of a JSON object: how a log line names its request. */
function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, 'id')) return undefined;
  const id = (value as { id: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}
