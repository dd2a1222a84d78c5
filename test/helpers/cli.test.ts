/**
 * The crash check every end-to-end run goes through: it must catch each form a leaked exception
 * takes, and must not fire on what monetize prints on purpose (or every e2e test would fail).
 */
import { describe, expect, it } from 'vitest';
import { crashSign } from './cli.js';

describe('crashSign', () => {
  it.each([
    ['a named frame', 'boom\n    at readPolicy (/app/dist/src/policy/load.js:12:7)\n'],
    ['an anonymous frame', 'boom\n    at /app/dist/cli/main.js:3:9'],
    ['an async frame in a node: module', '    at async Promise.all (index 0)\n    at async run (node:internal/modules/run_main:123:5)'],
    ['a file URL frame', '    at Object.<anonymous> (file:///app/bin/monetize.js:5:1)'],
    ['an Error line followed by a stack', 'Error: ENOENT\n    at open (node:fs:1:2)'],
    ['a TypeError message alone', "monetize: TypeError: Cannot read properties of undefined (reading 'x')"],
    ['the internal-error banner', 'monetize: internal error: x is not a function'],
  ])('catches %s', (_what, text) => {
    expect(crashSign(text)).toBeDefined();
  });

  it.each([
    ['a diagnostic with its code frame', "p.yaml:4:17: error[M300]: unknown field 'user.teir'\n  |\n4 |     condition: \"user.teir == 'pro'\"\n  |                 ^^^^^^^^^\n  = help: did you mean 'user.tier'?"],
    ['a usage error', "error: unknown option '--frobnicate'"],
    ['an explain trace line with a position', '    failed: user.token_balance > 0 (is false)  examples/monetization-policy.yaml:15:7'],
    ['prose that starts with "at"', '  at least one case must be given'],
    ['a summary', '1 error in 1 file'],
  ])('accepts %s', (_what, text) => {
    expect(crashSign(text)).toBeUndefined();
  });
});
