/**
 * Writing the user's files. An output is never one of the command's inputs, compared as files
 * (device and inode after following links), so a symbolic or hard link cannot disguise a policy as
 * `out.js`. Outputs are written all or nothing: each goes to a temporary file beside its target, and
 * only when every one is complete are they renamed into place, so a failed run leaves the old
 * files as they were and never a half-written one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** One file a command writes. */
export interface OutputFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** An output that would overwrite an input, or another output of the same command. */
export interface Clash {
  readonly output: string;
  /** The input (or earlier output) it would overwrite, as the command was given it. */
  readonly input: string;
  /** `input` is another output of the command, not one of its inputs. */
  readonly betweenOutputs: boolean;
}

/** A file's identity after following links (device and inode), or undefined when there is no such file. */
export function fileIdentity(path: string): string | undefined {
  try {
    // bigint: inode numbers may not fit a double.
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** The first output that is one of the inputs or an earlier output: the same file, or the same path. */
export function findClash(outputs: readonly string[], inputs: readonly string[]): Clash | undefined {
  const seen = inputs.map((path) => ({ path, abs: resolve(path), id: fileIdentity(path), isOutput: false }));
  for (const output of outputs) {
    const abs = resolve(output);
    const id = fileIdentity(output);
    const hit = seen.find((s) => s.abs === abs || (id !== undefined && s.id === id));
    if (hit) return { output, input: hit.path, betweenOutputs: hit.isOutput };
    seen.push({ path: output, abs, id, isOutput: true });
  }
  return undefined;
}

/** A write that failed: the output's path as the command was given it, and the file-system error. */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: unknown,
  ) {
    super(`cannot write '${path}'`, { cause: reason });
  }
}

/** Where an output really goes, and how. */
interface Target {
  readonly file: OutputFile;
  /** The path written: links followed, so a link keeps pointing at the file it named. */
  readonly real: string;
  /** A device or pipe (`/dev/null`, `/dev/stdout`) is written into; renaming over it would replace it. */
  readonly inPlace: boolean;
  /** The permissions of the file being replaced, kept by its replacement. */
  readonly mode?: number;
}

/** Where `file` goes: a new file, a regular file (links followed) replaced by rename, or a device written into. */
function targetOf(file: OutputFile): Target {
  let st;
  try {
    st = statSync(file.path);
  } catch (e) {
    // A new file (or a dangling link, which the new file replaces).
    if ((e as { code?: string }).code === 'ENOENT') return { file, real: file.path, inPlace: false };
    throw e;
  }
  if (st.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
  if (!st.isFile()) return { file, real: file.path, inPlace: true };
  return { file, real: realpathSync(file.path), inPlace: false, mode: st.mode & 0o7777 };
}

/** Remove a temporary file if it is still there. */
function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already renamed into place, or never created: nothing to clean up.
  }
}

/**
 * Write every file or none of them: each to a temporary file beside its target, then all renamed
 * into place. Missing folders are created. Throws WriteError naming the output that failed.
 */
export function writeFilesAtomically(files: readonly OutputFile[]): void {
  const temps: { temp: string; real: string; file: OutputFile }[] = [];
  /** Run one step for `file`; on failure remove every temporary file and say which output failed. */
  const attempt = <T>(file: OutputFile, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      for (const t of temps) removeQuietly(t.temp);
      throw new WriteError(file.path, e);
    }
  };
  // Every target first, so a folder in the way of the last output stops the run before the first is written.
  const targets = files.map((file) => attempt(file, () => targetOf(file)));
  for (const t of targets) {
    if (t.inPlace) continue;
    attempt(t.file, () => {
      mkdirSync(dirname(t.real), { recursive: true });
      // A dot-name, so a folder walk running meanwhile passes it over.
      const temp = join(dirname(t.real), `.${basename(t.real)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
      const fd = openSync(temp, 'wx', 0o666);
      temps.push({ temp, real: t.real, file: t.file });
      try {
        writeFileSync(fd, t.file.content);
        if (t.mode !== undefined) fchmodSync(fd, t.mode);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
  }
  for (const t of targets) if (t.inPlace) attempt(t.file, () => writeFileSync(t.real, t.file.content));
  for (const t of temps) attempt(t.file, () => renameSync(t.temp, t.real));
}
