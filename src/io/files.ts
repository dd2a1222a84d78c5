/** Reading the user's files: strict UTF-8, one wording for file-system errors, folder walking. */
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
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

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Read a text file strictly: invalid UTF-8 is an error (never silently replaced), and a leading
 * byte-order mark is dropped so columns count from the first real character. `-` reads stdin.
 */
export function readText(path: string): string {
  const bytes = readFileSync(path === '-' ? 0 : path);
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
 * The files below `dir` whose names pass `keep`, sorted, skipping dot-entries and node_modules.
 * Broken links and link loops are reported, not thrown; each real folder is visited once.
 */
export function walkFiles(dir: string, keep: (name: string) => boolean): { files: string[]; problems: WalkProblem[] } {
  const files: string[] = [];
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
      let isDir: boolean;
      try {
        isDir = statSync(p).isDirectory();
      } catch (e) {
        problems.push({ path: p, reason: describeFsError(e) });
        continue;
      }
      if (isDir) visit(p);
      else if (keep(name)) files.push(p);
    }
  };
  visit(dir);
  return { files, problems };
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
