/** `monetize lint <policy…>`: report every problem in every file. */
import { countBySeverity, diag, type Diagnostic, type Severity } from '../../diag/diagnostic.js';
import { isCode, CODES, type Code } from '../../diag/codes.js';
import { renderDiagnostics, renderSummary, type DiagnosticFormat } from '../../diag/render/index.js';
import type { SourceFile } from '../../diag/source.js';
import { isFolder, readText, TEST_FILE, walkFiles, YAML_FILE } from '../../io/files.js';
import { loadPolicyFile, loadPolicyText } from '../../pipeline/pipeline.js';
import { checkTestFile } from '../../testing/check.js';
import { version } from '../../version.js';
import { EXIT, UsageError } from '../exit.js';
import { parseCount, useColor, type Io } from '../io.js';

interface LintFlags {
  format: DiagnosticFormat;
  maxWarnings?: string;
  severity?: string[];
  timings?: boolean;
}

/** Parse `--severity M307=error` pairs. */
export function parseSeverityFlags(pairs: readonly string[]): Partial<Record<Code, Severity | 'off'>> {
  const out: Partial<Record<Code, Severity | 'off'>> = {};
  for (const p of pairs) {
    const m = /^([A-Za-z0-9]+)=(error|warning|info|off)$/.exec(p);
    if (!m) throw new UsageError(`--severity takes CODE=LEVEL, got '${p}'`, 'for example --severity M307=error (levels: error, warning, info, off)');
    const code = m[1]!.toUpperCase();
    if (!isCode(code)) throw new UsageError(`unknown diagnostic code '${m[1]}'`, 'see docs/diagnostics.md for the codes');
    if (CODES[code].severity === 'error') throw new UsageError(`${code} is an error and cannot be re-levelled`);
    out[code] = m[2] as Severity | 'off';
  }
  return out;
}

/**
 * Folders stand for the policies (a top-level `version:` or `rules:`) and *.test.yaml files below
 * them; other YAML (CI workflows, fixtures) is skipped. Files named on the command line are always
 * checked. Folder entries that cannot be visited (broken links, loops) come back as M100. A folder
 * with nothing to check is a usage error: linting nothing must not pass a CI gate whose path is
 * mistyped.
 */
function expandPaths(paths: readonly string[]): { files: string[]; texts: Map<string, string>; problems: Diagnostic[] } {
  const files: string[] = [];
  // Policies found in folders were read to recognise them; their text is kept, not read again.
  const texts = new Map<string, string>();
  const problems: Diagnostic[] = [];
  for (const p of paths) {
    if (!isFolder(p)) {
      files.push(p);
      continue;
    }
    const found = walkFiles(p, (name) => YAML_FILE.test(name));
    const before = files.length;
    for (const f of found.files) {
      if (TEST_FILE.test(f)) {
        files.push(f);
        continue;
      }
      let text: string | undefined;
      try {
        text = readText(f);
      } catch {
        files.push(f); // loading it reports why it cannot be read
        continue;
      }
      if (/^(version|rules)\s*:/m.test(text)) {
        files.push(f);
        texts.set(f, text);
      }
    }
    for (const w of found.problems) problems.push(diag('M100', w.path, { start: 0, end: 0 }, `cannot read '${w.path}': ${w.reason}`));
    if (files.length === before && found.problems.length === 0) throw nothingToLint(p, found.files.length, found.skipped);
  }
  return { files, texts, problems };
}

/** The usage error for a folder with no policy or test file, saying what was passed over. */
function nothingToLint(folder: string, otherYaml: number, special: readonly string[]): UsageError {
  const passed: string[] = [];
  if (otherYaml > 0) passed.push(`${otherYaml} YAML file${otherYaml === 1 ? ' there has' : 's there have'} no top-level version: or rules: key`);
  if (special.length > 0) passed.push(`not regular files: ${special.join(', ')}`);
  return new UsageError(
    `no policy or test files in '${folder}'${passed.length ? ` (${passed.join('; ')})` : ''}`,
    'check the path: lint looks in folders for policies (*.yaml or *.yml with a top-level version: or rules: key) and test files (*.test.yaml)',
  );
}

/** Run the lint command; returns the exit code. */
export async function lintCommand([files, flags]: [string[], LintFlags], io: Io): Promise<number> {
  const maxWarnings = flags.maxWarnings === undefined ? undefined : parseCount('--max-warnings', flags.maxWarnings);
  const severity = parseSeverityFlags(flags.severity ?? []);
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  let unreadable = false;
  const inputs = expandPaths(files);
  diagnostics.push(...inputs.problems);
  if (inputs.problems.length > 0) unreadable = true;
  for (const file of inputs.files) {
    if (TEST_FILE.test(file)) {
      // Test files are checked against the test-file format and the policy they name, not as policies.
      const t = checkTestFile(file);
      if (t.source) sources.set(file, t.source);
      if (t.unreadable) unreadable = true;
      diagnostics.push(...t.diagnostics);
      continue;
    }
    const known = inputs.texts.get(file);
    const r = known === undefined ? loadPolicyFile(file, { severity, until: 'lint' }) : loadPolicyText(file, known, { severity, until: 'lint' });
    if (r.source) sources.set(file, r.source);
    if (r.unreadable) unreadable = true;
    diagnostics.push(...r.diagnostics);
    if (flags.timings) {
      io.err(`${file}: ${Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(1)}ms`).join(', ')}\n`);
    }
  }
  const color = useColor(io, flags.format);
  io.out(renderDiagnostics(flags.format, diagnostics, sources, { color, version: version(), informationUri: 'https://github.com/monetize-dev/monetize' }));
  const counts = countBySeverity(diagnostics);
  if (flags.format === 'pretty') {
    const n = inputs.files.length;
    const where = `${n} file${n === 1 ? '' : 's'}`;
    io.out(`${renderSummary(counts, color)} in ${where}\n`);
  }
  if (unreadable) return EXIT.usage;
  if (counts.errors > 0) return EXIT.failed;
  if (maxWarnings !== undefined && counts.warnings > maxWarnings) {
    io.err(`monetize: ${counts.warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
