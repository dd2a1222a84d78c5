/**
 * Streaming JSON Lines reader for access logs (`test --record`, the simulator): gzip when the name
 * ends in .gz, strict UTF-8, one value a line with its line number, blank lines skipped.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { TextDecoder } from 'node:util';
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

/**
 * Bytes to text, failing on the first invalid byte (NotUtf8Error): a log is never silently
 * repaired with U+FFFD. With `stream: true` the decoder keeps a character cut by a read boundary
 * for the next read; no bytes means the end. Its default (ignoreBOM: false) drops a leading
 * byte-order mark, once, at the start of the text.
 */
function decodeStrict(decoder: TextDecoder, bytes?: Uint8Array): string {
  try {
    return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
  } catch {
    throw new NotUtf8Error();
  }
}

/** Bytes read from a plain file at a time. */
const READ_BYTES = 64 * 1024;

/**
 * The text of a file, a piece at a time. A plain file is read into one buffer, reused for every
 * read (the decoder copies what it needs); a `.gz` file goes through zlib's stream.
 */
async function* textPieces(path: string, onBytes?: (n: number) => void): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  if (path.endsWith('.gz')) {
    const gunzip = createGunzip();
    const raw = createReadStream(path);
    if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
    // pipeline, unlike pipe, destroys every stage with the first error, so a read error reaches
    // the iterator below and is thrown from it. The error is seen there, not here.
    pipeline(raw, gunzip, () => {});
    try {
      for await (const bytes of gunzip) yield decodeStrict(decoder, bytes as Buffer);
    } finally {
      // A caller that stops early must not leave the file open. Destroying the last stage (without
      // an error, since nothing listens to it any more) makes pipeline close the file too.
      gunzip.destroy();
    }
  } else {
    const file = await open(path, 'r');
    try {
      const bytes = Buffer.allocUnsafe(READ_BYTES);
      for (;;) {
        const { bytesRead } = await file.read(bytes, 0, READ_BYTES, null);
        if (bytesRead === 0) break;
        onBytes?.(bytesRead);
        yield decodeStrict(decoder, bytes.subarray(0, bytesRead));
      }
    } finally {
      await file.close();
    }
  }
  yield decodeStrict(decoder);
}

/**
 * Splits text that arrives in pieces into lines as `readline` does with `crlfDelay: Infinity`: a
 * line ends at LF, CRLF or a lone CR, a CR and an LF that arrive in different pieces are one break,
 * and the text after the last break is a line of its own when it is not empty.
 */
class LineSplitter {
  /** The text after the last break (a string built by `+=` stays a rope until a break comes). */
  private rest = '';
  /** The last piece ended in CR: an LF starting the next piece belongs to it. */
  private afterCr = false;
  /** Lines ended so far, blank ones included. */
  count = 0;

  /** The lines `piece` completes, parsed. */
  push(piece: string): JsonLine[] {
    let text = piece;
    if (this.afterCr && text.length > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      this.rest += text;
      return [];
    }
    const all = this.rest + text;
    const parts = all.indexOf('\r') < 0 ? all.split('\n') : all.split(/\r\n|\r|\n/);
    this.rest = parts.pop()!;
    this.afterCr = this.rest === '' && all.charCodeAt(all.length - 1) === 13;
    const out: JsonLine[] = [];
    for (const line of parts) {
      const item = this.parse(line);
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  /** The last line, when the text does not end with a break. */
  end(): JsonLine[] {
    const last = this.rest;
    this.rest = '';
    const item = last.length > 0 ? this.parse(last) : undefined;
    return item === undefined ? [] : [item];
  }

  private parse(line: string): JsonLine | undefined {
    const n = ++this.count;
    if (line.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      return { line: n, problem: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
    const id = idOf(value);
    return id === undefined ? { line: n, value } : { line: n, value, id };
  }
}

/**
 * Read a JSON Lines file a piece at a time, never whole: each item holds the lines one read of the
 * file completed, in order (never empty). The lines, their numbers, the problems and the errors
 * are those of `readJsonLines`; a caller streaming millions of lines awaits once per read (64 KiB)
 * instead of once per line. Returns the number of lines, blank ones included. `onBytes` hears of
 * every read of the file (compressed bytes for `.gz`), for progress.
 */
export async function* readJsonLineChunks(path: string, onBytes?: (n: number) => void): AsyncGenerator<JsonLine[], number, undefined> {
  const lines = new LineSplitter();
  for await (const piece of textPieces(path, onBytes)) {
    const done = lines.push(piece);
    if (done.length > 0) yield done;
  }
  const last = lines.end();
  if (last.length > 0) yield last;
  return lines.count;
}

/**
 * Read a JSON Lines file line by line, never whole. File errors (ENOENT, ENOTUTF8, a corrupt gzip
 * stream) are thrown; invalid JSON is yielded as a located problem. Returns the number of lines.
 * `onBytes` hears of every chunk read from the file (compressed bytes for `.gz`), for progress.
 */
export async function* readJsonLines(path: string, onBytes?: (n: number) => void): AsyncGenerator<JsonLine, number, undefined> {
  const chunks = readJsonLineChunks(path, onBytes);
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done === true) return next.value;
      for (const item of next.value) yield item;
    }
  } finally {
    await chunks.return(0);
  }
}

/** The own string `id` of a JSON object: how a log line names its request. */
function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, 'id')) return undefined;
  const id = (value as { id: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}
