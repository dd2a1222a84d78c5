/** The shape of a lint rule: a function from the checked policy to diagnostics. */
import type { Diagnostic } from '../diag/diagnostic.js';
import type { Code } from '../diag/codes.js';
import type { TypeMap } from '../check/checker.js';
import type { Policy } from '../policy/model.js';

export interface LintRule {
  readonly code: Code;
  readonly run: (policy: Policy, types: TypeMap) => Diagnostic[];
}
