/** Loading a policy for commands that need a clean one (compile, explain, test): report, then stop. */
import { countBySeverity } from '../diag/diagnostic.js';
import { renderPretty } from '../diag/render/pretty.js';
import type { SourceFile } from '../diag/source.js';
import { loadPolicyFile, toChecked, type CheckedPolicy } from '../pipeline/pipeline.js';
import { EXIT } from './exit.js';
import { useColor, type Io } from './io.js';

const MAX_SHOWN_WARNINGS = 5;

/**
 * Load, check and lower a policy. Diagnostics go to stderr; on errors the exit code to return is
 * given instead of a policy (2 for an unreadable file, 1 for an invalid policy).
 */
export function loadChecked(path: string, io: Io, opts: { quietWarnings?: boolean } = {}): CheckedPolicy | { exit: number } {
  const r = loadPolicyFile(path);
  const checked = toChecked(r);
  const failed = checked === undefined;
  // A clean policy's warnings are lint's business: name how many, show a few.
  const errorsOnly = failed ? r.diagnostics.filter((d) => d.severity === 'error') : [];
  const warnings = r.diagnostics.filter((d) => d.severity !== 'error');
  const shown = failed ? errorsOnly : opts.quietWarnings ? [] : warnings.slice(0, MAX_SHOWN_WARNINGS);
  if (shown.length > 0) {
    const files = new Map<string, SourceFile>(r.source ? [[path, r.source]] : []);
    io.err(renderPretty(shown, files, { color: useColor(io, 'pretty', 'stderr') }));
  }
  if (!failed && !opts.quietWarnings && warnings.length > MAX_SHOWN_WARNINGS) {
    io.err(`monetize: … and ${warnings.length - MAX_SHOWN_WARNINGS} more warnings; \`monetize lint ${path}\` lists them all\n`);
  }
  if (r.unreadable) return { exit: EXIT.usage };
  if (failed) {
    const { errors } = countBySeverity(r.diagnostics);
    io.err(`monetize: ${path} has ${errors} error${errors === 1 ? '' : 's'}; fix ${errors === 1 ? 'it' : 'them'} first (see \`monetize lint ${path}\`)\n`);
    return { exit: EXIT.failed };
  }
  return checked!;
}
