/**
 * Writing outputs: an output is compared with the inputs as a file (through links), and a set of
 * outputs is written all or nothing, through links, and into devices rather than over them.
 */
import { chmodSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileIdentity, findClash, WriteError, writeFilesAtomically } from '../../src/io/write.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'monetize-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('findClash', () => {
  it('finds an input behind a symbolic link, a hard link, or the same path spelled differently', () => {
    const input = join(dir, 'policy.yaml');
    writeFileSync(input, 'x');
    symlinkSync(input, join(dir, 'soft.js'));
    linkSync(input, join(dir, 'hard.js'));
    for (const out of [join(dir, 'soft.js'), join(dir, 'hard.js'), `${dir}/./policy.yaml`]) {
      expect(findClash([out], [input]), out).toEqual({ output: out, input, betweenOutputs: false });
    }
  });

  it('checks every output, companions included, and outputs against each other', () => {
    const input = join(dir, 'out.d.ts');
    writeFileSync(input, 'x');
    expect(findClash([join(dir, 'out.js'), input], [join(dir, 'policy.yaml'), input])).toMatchObject({ output: input, input });
    const out = join(dir, 'out.js');
    writeFileSync(out, 'old');
    symlinkSync(out, join(dir, 'out.js.map'));
    expect(findClash([out, join(dir, 'out.js.map')], [])).toEqual({ output: join(dir, 'out.js.map'), input: out, betweenOutputs: true });
  });

  it('finds nothing for new files and other files', () => {
    writeFileSync(join(dir, 'policy.yaml'), 'x');
    writeFileSync(join(dir, 'other.js'), 'y');
    expect(findClash([join(dir, 'new.js'), join(dir, 'other.js')], [join(dir, 'policy.yaml')])).toBeUndefined();
    expect(fileIdentity(join(dir, 'new.js'))).toBeUndefined();
  });
});

describe('writeFilesAtomically', () => {
  it('writes nothing when one output cannot be written, and leaves no temporary file', () => {
    const a = join(dir, 'a.js');
    writeFileSync(a, 'old a');
    writeFileSync(join(dir, 'file'), 'in the way');
    let error: unknown;
    try {
      writeFilesAtomically([
        { path: a, content: 'new a' },
        { path: join(dir, 'file', 'b.js'), content: 'new b' },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WriteError);
    expect((error as WriteError).path).toBe(join(dir, 'file', 'b.js'));
    expect(readFileSync(a, 'utf8')).toBe('old a');
    expect(readdirSync(dir).sort()).toEqual(['a.js', 'file']);
  });

  it('replaces a file keeping its permissions, creates missing folders, and writes through a link', () => {
    const a = join(dir, 'a.js');
    writeFileSync(a, 'old');
    chmodSync(a, 0o640);
    const target = join(dir, 'target.js');
    writeFileSync(target, 'old');
    symlinkSync(target, join(dir, 'link.js'));
    writeFilesAtomically([
      { path: a, content: 'new' },
      { path: join(dir, 'deep', 'er', 'b.js'), content: 'b' },
      { path: join(dir, 'link.js'), content: 'through' },
    ]);
    expect(readFileSync(a, 'utf8')).toBe('new');
    expect(statSync(a).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(dir, 'deep', 'er', 'b.js'), 'utf8')).toBe('b');
    expect(readFileSync(target, 'utf8')).toBe('through');
    expect(fileIdentity(join(dir, 'link.js'))).toBe(fileIdentity(target));
  });

  it('writes into a device instead of renaming over it', () => {
    writeFilesAtomically([{ path: '/dev/null', content: 'gone' }]);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});
