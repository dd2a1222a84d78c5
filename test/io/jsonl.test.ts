import { createWriteStream, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonLines, type JsonLine } from '../../src/io/jsonl.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'monetize-jsonl-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Write a fixture into the temp folder and return its path. */
function file(name: string, content: string | Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

/** Every item and the generator's return value (the line count). */
async function readAll(path: string): Promise<{ items: JsonLine[]; lines: number }> {
  const items: JsonLine[] = [];
  const gen = readJsonLines(path);
  for (;;) {
    const next = await gen.next();
    if (next.done) return { items, lines: next.value };
    items.push(next.value);
  }
}

/** The error a read rejects with (fails the test when it does not reject). */
async function readError(path: string): Promise<NodeJS.ErrnoException> {
  try {
    await readAll(path);
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
  throw new Error(`reading ${path} did not fail`);
}

describe('readJsonLines', () => {
  it('reads one value a line with its line number', async () => {
    const p = file('plain.jsonl', '{"a":1}\n[2]\n"three"\n4\n');
    expect(await readAll(p)).toEqual({
      items: [
        { line: 1, value: { a: 1 } },
        { line: 2, value: [2] },
        { line: 3, value: 'three' },
        { line: 4, value: 4 },
      ],
      lines: 4,
    });
  });

  it('reads the last line without a final newline', async () => {
    const p = file('no-eol.jsonl', '1\n2');
    expect(await readAll(p)).toEqual({ items: [{ line: 1, value: 1 }, { line: 2, value: 2 }], lines: 2 });
  });

  it('gunzips a file whose name ends in .gz', async () => {
    const p = file('log.jsonl.gz', gzipSync('{"a":1}\n\n{"b":"é"}\n'));
    expect(await readAll(p)).toEqual({ items: [{ line: 1, value: { a: 1 } }, { line: 3, value: { b: 'é' } }], lines: 3 });
  });

  it('does not gunzip other names', async () => {
    const err = await readError(file('gz-inside.jsonl', gzipSync('1\n')));
    expect(err.code).toBe('ENOTUTF8');
  });

  it('treats CRLF as one line break', async () => {
    const p = file('crlf.jsonl', '{"s":"x"}\r\n\r\n2\r\n');
    expect(await readAll(p)).toEqual({ items: [{ line: 1, value: { s: 'x' } }, { line: 3, value: 2 }], lines: 3 });
  });

  it.skipIf(process.platform === 'win32')('treats CR and LF that arrive apart as one line break', async () => {
    const fifo = join(tmp, 'crlf-apart.jsonl');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    const all = readAll(fifo);
    writer.write('1\r');
    // Longer than readline's default wait for the LF of a CRLF.
    await new Promise((r) => setTimeout(r, 300));
    writer.end('\n2\r\n');
    expect(await all).toEqual({ items: [{ line: 1, value: 1 }, { line: 2, value: 2 }], lines: 2 });
  });

  it('skips blank lines but counts them in line numbers and in the returned line count', async () => {
    const p = file('blank.jsonl', '\n1\n   \n\t\n2\n\n\n');
    expect(await readAll(p)).toEqual({ items: [{ line: 2, value: 1 }, { line: 5, value: 2 }], lines: 7 });
  });

  it('drops a leading byte-order mark, only at the start of the file', async () => {
    const p = file('bom.jsonl', '\uFEFF{"a":1}\n\uFEFF{"b":2}\n');
    const { items } = await readAll(p);
    expect(items[0]).toEqual({ line: 1, value: { a: 1 } });
    // A BOM in the middle of the file is content, and not valid JSON.
    expect(items[1]).toMatchObject({ line: 2, problem: expect.stringMatching(/^invalid JSON: /) });
  });

  it('reports an invalid JSON line with its number and the parser message, and reads on', async () => {
    const p = file('bad-json.jsonl', '1\n{"a":\n3\n');
    let parserMessage = '';
    try {
      JSON.parse('{"a":');
    } catch (e) {
      parserMessage = (e as Error).message;
    }
    expect(await readAll(p)).toEqual({
      items: [{ line: 1, value: 1 }, { line: 2, problem: `invalid JSON: ${parserMessage}` }, { line: 3, value: 3 }],
      lines: 3,
    });
  });

  it('exposes an own string `id` and keeps it in the value', async () => {
    const p = file('ids.jsonl', ['{"id":"evt_1","a":1}', '{"id":7}', '{"a":{"id":"nested"}}', '["id"]', '"id"', '{"id":""}'].join('\n'));
    const { items } = await readAll(p);
    expect(items).toEqual([
      { line: 1, value: { id: 'evt_1', a: 1 }, id: 'evt_1' },
      { line: 2, value: { id: 7 } },
      { line: 3, value: { a: { id: 'nested' } } },
      { line: 4, value: ['id'] },
      { line: 5, value: 'id' },
      { line: 6, value: { id: '' }, id: '' },
    ]);
    expect(items[1]).not.toHaveProperty('id');
  });

  it('fails with ENOTUTF8 on an invalid byte, never U+FFFD', async () => {
    const err = await readError(file('latin1.jsonl', Buffer.from('{"a":"caf\xe9"}\n', 'latin1')));
    expect(err.code).toBe('ENOTUTF8');
    expect(err.message).toBe('it is not valid UTF-8 text');
  });

  it('fails with ENOTUTF8 on a multi-byte character cut off at the end of the file', async () => {
    const err = await readError(file('cut.jsonl', Buffer.concat([Buffer.from('"x"\n"'), Buffer.from('é').subarray(0, 1)])));
    expect(err.code).toBe('ENOTUTF8');
  });

  it('fails with ENOTUTF8 on an invalid byte inside a .gz file', async () => {
    const err = await readError(file('latin1.jsonl.gz', gzipSync(Buffer.from('1\n"\xff"\n', 'latin1'))));
    expect(err.code).toBe('ENOTUTF8');
  });

  it('decodes a multi-byte character split across read chunks', async () => {
    // The file stream reads 64 KiB chunks: put a 2-byte character across the first boundary.
    const pad = 'x'.repeat(64 * 1024 - 2);
    const p = file('split.jsonl', `"${pad}é"\n`);
    const { items } = await readAll(p);
    expect(items).toEqual([{ line: 1, value: `${pad}é` }]);
  });

  it('decodes characters of 2, 3 and 4 bytes cut at every place by a read boundary', async () => {
    // Reads are 64 KiB: the character starts `cut` bytes before the first boundary.
    for (const ch of ['é', '€', '😀']) {
      const size = Buffer.byteLength(ch);
      for (let cut = 1; cut < size; cut++) {
        const pad = 'x'.repeat(64 * 1024 - 1 - cut);
        const p = file(`cut-${size}-${cut}.jsonl`, `"${pad}${ch}"\n"${ch}"\n`);
        const { items } = await readAll(p);
        expect(items).toEqual([
          { line: 1, value: `${pad}${ch}` },
          { line: 2, value: ch },
        ]);
      }
    }
  });

  it('fails with ENOTUTF8 on a character whose continuation, after a read boundary, is not one', async () => {
    const bytes = Buffer.concat([Buffer.from(`"${'x'.repeat(64 * 1024 - 2)}`), Buffer.from([0xc3]), Buffer.from('x"\n')]);
    expect((await readError(file('bad-continuation.jsonl', bytes))).code).toBe('ENOTUTF8');
  });

  it('decodes a .gz file whose characters cross zlib\'s output chunks, and drops its byte-order mark', async () => {
    const values = Array.from({ length: 3000 }, (_, i) => `é€😀${i}`);
    const p = file('multi.jsonl.gz', gzipSync('\uFEFF' + values.map((v) => JSON.stringify(v)).join('\n')));
    const { items } = await readAll(p);
    expect(items).toEqual(values.map((value, i) => ({ line: i + 1, value })));
  });

  it.skipIf(process.platform === 'win32')('drops a byte-order mark that arrives in two reads', async () => {
    const fifo = join(tmp, 'bom-apart.jsonl');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    const all = readAll(fifo);
    writer.write(Buffer.from([0xef]));
    await new Promise((r) => setTimeout(r, 100));
    writer.end(Buffer.from([0xbb, 0xbf, 0x31, 0x0a]));
    expect(await all).toEqual({ items: [{ line: 1, value: 1 }], lines: 1 });
  });

  it('fails with ENOENT on a missing file', async () => {
    const err = await readError(join(tmp, 'missing.jsonl'));
    expect(err.code).toBe('ENOENT');
  });

  it('fails with ENOENT on a missing .gz file', async () => {
    const err = await readError(join(tmp, 'missing.jsonl.gz'));
    expect(err.code).toBe('ENOENT');
  });

  it('fails on a .gz file that is not gzip', async () => {
    const err = await readError(file('corrupt.jsonl.gz', 'not gzip\n'));
    expect(err.code).toMatch(/^Z_/);
  });

  it('reads 100k lines', async () => {
    const n = 100_000;
    const text = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `r${i + 1}`, i })).join('\n') + '\n';
    const p = file('big.jsonl.gz', gzipSync(text));
    let count = 0;
    let last: JsonLine | undefined;
    const gen = readJsonLines(p);
    for (;;) {
      const next = await gen.next();
      if (next.done) {
        expect(next.value).toBe(n);
        break;
      }
      count++;
      last = next.value;
    }
    expect(count).toBe(n);
    expect(last).toEqual({ line: n, value: { id: `r${n}`, i: n - 1 }, id: `r${n}` });
  });

  it.skipIf(process.platform === 'win32')('yields a line before the rest of the file exists (streaming)', async () => {
    const fifo = join(tmp, 'stream.jsonl');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    writer.write('{"id":"first"}\n');
    const gen = readJsonLines(fifo);
    // A reader that waits for the whole file would never see the first line: the writer is still open.
    const first = await Promise.race([gen.next(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
    expect(first).toEqual({ done: false, value: { line: 1, value: { id: 'first' }, id: 'first' } });
    writer.end('2\n');
    const rest = await gen.next();
    expect(rest).toEqual({ done: false, value: { line: 2, value: 2 } });
    expect(await gen.next()).toEqual({ done: true, value: 2 });
  });

  it('lets a caller stop early', async () => {
    const p = file('early.jsonl', '1\n2\n3\n');
    const seen: number[] = [];
    for await (const item of readJsonLines(p)) {
      seen.push(item.line);
      if (item.line === 2) break;
    }
    expect(seen).toEqual([1, 2]);
  });

  it.skipIf(!existsSync('/proc/self/fd'))('closes the file when a caller stops early', async () => {
    // Many read chunks, so that stopping at line 1 leaves most of the file unread.
    const p = file('close.jsonl', '1\n'.repeat(500_000));
    const openOnP = (): number => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === p;
      } catch {
        return false;
      }
    }).length;
    for await (const item of readJsonLines(p)) {
      expect(openOnP()).toBe(1);
      if (item.line === 1) break;
    }
    // Closing is asynchronous: poll (up to 10 s on a loaded machine) rather than sleep a fixed time.
    for (let i = 0; i < 500 && openOnP() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(openOnP()).toBe(0);
  });
});
