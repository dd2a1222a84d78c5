/**
 * Reading the user's files: regular files only, at most MAX_INPUT_BYTES, strict UTF-8; one wording
 * for file-system errors; folder walking.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** Why a file could not be read or written, in words (no stack, no errno jargon). */
export function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links (a link loop?)';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e);
  }
}

/** A file that is not valid UTF-8 (a streamed file does not know the offset of the bad byte). */
export class NotUtf8Error extends Error {
  readonly code = 'ENOTUTF8';
  constructor(readonly offset?: number) {
    super(offset === undefined ? 'it is not valid UTF-8 text' : `it is not valid UTF-8 text (first bad byte at offset ${offset})`);
  }
}

/** The most bytes read from one policy, test file or JSON argument (16 MiB): far above any real policy. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

const MIB = 1024 * 1024;

/** An input that is not a regular file: a FIFO can block forever and a device can never end. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREGULAR';
  readonly hint = 'pass a regular file: monetize does not read policies, test files or @file arguments from pipes, devices or sockets';
  constructor(kind: string) {
    super(`it is ${kind}, not a regular file`);
  }
}

/** An input over MAX_INPUT_BYTES (its size, when known before reading). */
export class InputTooLargeError extends Error {
  readonly code = 'ETOOLARGE';
  readonly hint = `check that this is the file you meant: monetize reads at most ${MAX_INPUT_BYTES / MIB} MiB from one input file`;
  constructor(size?: number) {
    const limit = `the ${MAX_INPUT_BYTES / MIB} MiB limit for an input file`;
    super(size === undefined ? `it is over ${limit}` : `it is ${(size / MIB).toFixed(1)} MiB, over ${limit}`);
  }
}

/** What a file that is not a regular file is, in words. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/** Throw unless `st` is a regular file within the size limit (a folder is EISDIR, as reading one would say). */
function checkRegular(st: Stats): void {
  if (st.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
  if (!st.isFile()) throw new NotRegularFileError(kindOf(st));
  if (st.size > MAX_INPUT_BYTES) throw new InputTooLargeError(st.size);
}

/** Read an open descriptor to its end, failing as soon as it passes MAX_INPUT_BYTES (a file may grow while read). */
function readCapped(fd: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (total > MAX_INPUT_BYTES) throw new InputTooLargeError();
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

/** The bytes of a regular file, checked before it is opened (opening a FIFO blocks) and again once open. */
function readRegularFile(path: string): Buffer {
  checkRegular(statSync(path));
  // Non-blocking, so a path swapped for a FIFO after the check cannot hang the open; fstat then
  // checks the file actually opened.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    checkRegular(fstatSync(fd));
    return readCapped(fd);
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Read a text file strictly: only a regular file (`-`, standard input, excepted), at most
 * MAX_INPUT_BYTES, and invalid UTF-8 is an error (never silently replaced); a leading byte-order
 * mark is dropped so columns count from the first real character.
 */
export function readText(path: string): string {
  const bytes = path === '-' ? readCapped(0) : readRegularFile(path);
  try {
    return utf8.decode(bytes);
  } catch {
    let offset = 0;
    // Find the first bad byte for the message: decode growing prefixes is too slow; scan instead.
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i]!;
      const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
      let ok = len > 0 && i + len <= bytes.length;
      for (let k = 1; ok && k < len; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
      if (!ok) {
        offset = i;
        break;
      }
      i += len;
    }
    throw new NotUtf8Error(offset);
  }
}

/** A file or folder that could not be visited while walking, and why. */
export interface WalkProblem {
  readonly path: string;
  readonly reason: string;
}

/**
 * The regular files below `dir` whose names pass `keep`, sorted, skipping dot-entries and
 * node_modules; `skipped` holds those that pass `keep` but are not regular files (FIFOs, devices,
 * sockets: reading them could hang or never end). Broken links and link loops are reported, not
 * thrown; each real folder is visited once.
 */
export function walkFiles(dir: string, keep: (name: string) => boolean): { files: string[]; skipped: string[]; problems: WalkProblem[] } {
  const files: string[] = [];
  const skipped: string[] = [];
  const problems: WalkProblem[] = [];
  const seen = new Set<string>();
  const visit = (d: string): void => {
    let real: string;
    try {
      real = realpathSync(d);
    } catch (e) {
      problems.push({ path: d, reason: describeFsError(e) });
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch (e) {
      problems.push({ path: d, reason: describeFsError(e) });
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(d, name);
      let st: Stats;
      try {
        st = statSync(p);
      } catch (e) {
        problems.push({ path: p, reason: describeFsError(e) });
        continue;
      }
      if (st.isDirectory()) visit(p);
      else if (keep(name)) (st.isFile() ? files : skipped).push(p);
    }
  };
  visit(dir);
  return { files, skipped, problems };
}

/** Whether a path names a folder (false when it does not exist or cannot be read). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Test files are named `*.test.yaml` (or `.yml`). */
export const TEST_FILE = /\.test\.ya?ml$/;
/** YAML files. */
export const YAML_FILE = /\.ya?ml$/;
