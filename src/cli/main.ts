/**
 * The `monetize` command line. Each verb lives in its own module under commands/ and is imported
 * only when it runs, so `monetize lint` never loads esbuild or SQLite.
 */
import { Command, CommanderError, Option } from 'commander';
import { version } from '../version.js';
import { EXIT, UsageError } from './exit.js';
import { processIo, type Io } from './io.js';

/** Run the CLI with arguments (without `node` and the script) and return the exit code. */
/** Commander: collect a repeatable option's values. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('monetize');
  program
    .description('Policy-as-code for monetizing digital assets: lint, compile, test and explain pricing and access policies.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run the command with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  const run = (load: () => Promise<(args: never, io: Io) => Promise<number> | number>) =>
    async (...args: unknown[]): Promise<void> => {
      const fn = await load();
      code = await fn(args as never, io);
    };

  program
    .command('lint')
    .description('check policy files: YAML, schema, expression syntax, types and lint rules')
    .argument('<paths...>', 'policy files, test files (*.test.yaml) or folders to check')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'sarif']).default('pretty'))
    .option('--max-warnings <n>', 'fail (exit 1) when there are more than n warnings')
    // Repeatable rather than variadic: a variadic option would swallow the policy paths after it.
    .option('--severity <code=level>', 're-level a warning or info code: error, warning, info or off (e.g. M307=error); repeatable', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--timings', 'print the time each front-end stage took to stderr')
    .addHelpText('after', '\nExit codes: 0 no errors, 1 errors (or too many warnings), 2 usage error or unreadable file.')
    .action(run(async () => (await import('./commands/lint.js')).lintCommand));

  program
    .command('compile')
    .description('compile a policy to a standalone JavaScript decision module (+ .d.ts)')
    .argument('<policy>', 'the policy file')
    .option('-o, --output <file>', 'write the module here (and the .d.ts beside it); default: standard output')
    .addOption(new Option('-f, --format <format>', 'module format (default: how Node loads the -o file: .mjs esm, .cjs cjs, .js the nearest package.json\'s "type"; esm on standard output)').choices(['esm', 'cjs']))
    .option('--minify', 'minify the output')
    .option('--sourcemap', 'write <file>.map beside the output')
    .addHelpText('after', '\nA policy with errors writes nothing and exits 1. The same policy always gives byte-identical output.')
    .action(run(async () => (await import('./commands/compile.js')).compileCommand));

  program
    .command('explain')
    .description('decide one request and show why: each rule tried, what failed, the cost breakdown')
    .argument('<policy>', 'the policy file')
    .option('-r, --request <json|@file>', 'the request as JSON, or @file.json (@- reads standard input)')
    .option('-p, --params <json|@file>', 'param overrides for this decision, as a JSON object')
    .option('-q, --quote <ids>', 'explain a quote instead: comma-separated asset ids (bundle covers considered, tax rule matched)')
    .option('-u, --user <json|@file>', 'with --quote: the buyer, as a request\'s context (country, vatId)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .addHelpText('after', '\nGive exactly one of --request and --quote. Exit codes: 0 explained, 1 the policy has errors, 2 usage error, unreadable input or a quote that cannot be given.')
    .action(run(async () => (await import('./commands/explain.js')).explainCommand));

  program
    .command('quote')
    .description('price a set of assets for one purchase: best bundles, then tax')
    .argument('<policy>', 'the policy file')
    .requiredOption('-a, --assets <ids>', 'the asset ids, separated by commas (a,b,c)')
    .option('-u, --user <json|@file>', 'the buyer\'s context as a JSON object, e.g. \'{"country": "DE", "vatId": "DE123"}\' (@file.json, @- reads standard input)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .addHelpText('after', '\nAmounts are exact, in the policy\'s currency; --format json gives them in integer minor units.\nExit codes: 0 quoted, 1 the policy has errors, 2 usage error, unreadable file or a basket that cannot be quoted.')
    .action(run(async () => (await import('./commands/quote.js')).quoteCommand));

  program
    .command('simulate')
    .description('replay access logs and payment webhooks against the policy and a SQLite ledger')
    .argument('<policy>', 'the policy file')
    .requiredOption('-r, --replay <log>', 'an access log (JSON Lines, .gz read transparently); repeat for several logs', collect, [])
    .option('-w, --webhooks <path>', 'webhook fixtures: a file, a folder, or a .jsonl collection; repeatable', collect, [])
    .option('--webhook-secret <provider=secret>', 'verify envelopes of this provider with this signing secret; repeatable (rotation)', collect, [])
    .option('--db <file>', 'keep the ledger in this SQLite file (re-running on it charges and grants nothing twice); default: a temporary ledger')
    .option('--against <policy>', 'replay the same inputs under this policy too (the one live today), over its own ledger, and report what changes')
    .option('--against-db <file>', 'with --against: keep that policy\'s ledger in this SQLite file; default: a temporary ledger')
    .option('--fail-on-change <percent>', 'with --against: fail (exit 1) when more than this percentage of decisions change')
    .option('--fail-on-charge-change <percent>', 'with --against: fail when tokens charged change by more than this percentage, either way')
    .option('--fail-on-revenue-change <percent>', 'with --against: fail when net revenue changes by more than this percentage, either way')
    .option('--fail-on-flip <direction>', 'with --against: fail when a decision flips allow→deny, deny→allow (or allow->deny, deny->allow), or any; repeatable', collect, [])
    .addOption(new Option('-f, --format <format>', 'report format (html: one self-contained file with charts)').choices(['pretty', 'json', 'markdown', 'html']).default('pretty'))
    .option('-o, --output <file>', 'write the report to this file')
    .option('--strict', 'stop at the first rejected input (exit 1); the batch it fell in is not applied')
    .option('-q, --quiet', 'no progress line on standard error (it is shown only on a terminal)')
    .option('-j, --jobs <n>', 'replay on this many worker threads, users split between them (1 to 64; with --db, the ledger is a folder of one file per thread)')
    .addHelpText('after', '\nInputs are replayed in event-time order (ties: webhooks first); nothing reads the wall clock.\nExit codes: 0 replayed, 1 the policy has errors, --strict stopped or a --fail-on-* gate failed (the report is written), 2 usage error or unreadable input.')
    .action(run(async () => (await import('./commands/simulate.js')).simulateCommand));

  program
    .command('test')
    .description('run policy test cases (*.test.yaml); --record turns an access log into cases')
    .argument('<paths...>', 'the policy, then test files or folders (searched for *.test.yaml); test files may name their policy')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'junit', 'markdown']).default('pretty'))
    .option('--coverage', 'report which rules and multipliers the cases exercise')
    .option('--min-coverage <percent>', 'fail (exit 1) when fewer than this percentage of rules decide a case')
    .option('-o, --output <file>', 'write the report (or, with --record, the test file) here')
    .option('--record <log.jsonl>', 'record one golden case per distinct decision path of the requests in an access log')
    .addHelpText('after', '\nExit codes: 0 all passed, 1 a case failed (or coverage too low), 2 unreadable or malformed input.')
    .action(run(async () => (await import('./commands/test.js')).testCommand));

  program
    .command('schema')
    .description('print the JSON Schema of policy files (for editors using yaml-language-server)')
    .option('--strict', 'without editor-only keywords (markdownDescription), for validators in strict mode such as ajv')
    .action(run(async () => (await import('./commands/schema.js')).schemaCommand));

  if (argv.length === 0) {
    io.err(program.helpInformation());
    io.err('\nmonetize: error: no command given\n');
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version "fail" with these codes; everything else commander rejects is usage.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.err(`monetize: error: ${e.message}\n${e.hint ? `  = help: ${e.hint}\n` : ''}`);
      return EXIT.usage;
    }
    throw e;
  }
  return code;
}
