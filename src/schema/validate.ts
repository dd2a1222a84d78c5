/** Checks a policy's shape against the policy JSON Schema and turns ajv errors into diagnostics. */
import { Ajv, type ValidateFunction } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Span } from '../diag/source.js';
import { diag, sortDiagnostics, type Diagnostic } from '../diag/diagnostic.js';
import { didYouMean } from '../diag/suggest.js';
import { nodeAtPointer, toValue, type YamlNode } from '../yaml/node.js';
import { EDITOR_KEYWORDS, type JsonSchema } from './json-schema.js';
import { PATTERN_WORDS } from './patterns.js';
import { POLICY_SCHEMA, SUPPORTED_VERSIONS } from './policy-schema.js';
import { collapseAlternatives, type AjvError } from './alternatives.js';
import {
  childPointer,
  foundWords,
  joinAnd,
  joinOr,
  jsonKind,
  kindWords,
  placeLabel,
  quote,
  yamlFlow,
} from './describe.js';

let compiled: ValidateFunction | undefined;
// ajv's standalone module is CommonJS: under Node its default import is the exports object.
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as (ajv: Ajv, v: ValidateFunction) => string;

/** An ajv instance configured the way the policy schema is checked (strict, all errors, verbose). */
export function createPolicyAjv(opts: { source?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, code: { source: opts.source === true } });
  // Editor annotations (VS Code, yaml-language-server); ajv only needs to know they exist.
  for (const keyword of EDITOR_KEYWORDS) ajv.addKeyword(keyword);
  return ajv;
}

/** Where the build writes the precompiled policy validator (dist/src/schema/). */
export const VALIDATOR_FILE = 'policy-validator.cjs';

/** A schema's validator as standalone CommonJS (written at build time, so the CLI skips compiling it). */
export function validatorSource(schema: JsonSchema): string {
  const ajv = createPolicyAjv({ source: true });
  return standaloneCode(ajv, ajv.compile(schema));
}

/**
 * The validator the build precompiled into `file` (beside dist/src/schema/validate.js, or found
 * from the bundled CLI's chunks); running from source, compile `schema` instead.
 */
export function loadValidator(file: string, schema: JsonSchema): ValidateFunction {
  const require = createRequire(import.meta.url);
  for (const rel of [`./${file}`, `../../src/schema/${file}`]) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return require(fileURLToPath(url)) as ValidateFunction;
  }
  return createPolicyAjv().compile(schema);
}

function validator(): ValidateFunction {
  return (compiled ??= loadValidator(VALIDATOR_FILE, POLICY_SCHEMA));
}

/** Validate a policy YAML tree against the policy schema; one diagnostic per problem, by position. */
export function validatePolicyShape(root: YamlNode, file: string): Diagnostic[] {
  return validateShape(validator(), root, file);
}

/**
 * Validate any YAML tree against a compiled schema with the same error mapping as policies;
 * `code` re-labels every diagnostic (test files report all shape problems as M500).
 */
export function validateShape(validate: ValidateFunction, root: YamlNode, file: string, code?: Diagnostic['code']): Diagnostic[] {
  const shaped = shapeDiagnostics(validate, root, file);
  return code === undefined ? shaped : shaped.map((d) => ({ ...d, code }));
}

function shapeDiagnostics(validate: ValidateFunction, root: YamlNode, file: string): Diagnostic[] {
  if (validate(toValue(root))) return [];
  const errors = collapseAlternatives((validate.errors ?? []) as AjvError[]);
  const ctx = new Context(root, file);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const push = (d: Diagnostic | undefined): void => {
    if (d === undefined) return;
    const key = `${d.code}|${d.span.start}|${d.span.end}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  for (const group of groupRequired(errors)) push(ctx.missing(group));
  for (const e of errors) if (e.keyword !== 'required') push(ctx.map(e));
  return sortDiagnostics(out);
}

/** `required` errors of one mapping, reported together. */
function groupRequired(errors: readonly AjvError[]): AjvError[][] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    if (e.keyword !== 'required') continue;
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  return [...byPath.values()];
}

/** Keys a schema object allows: its own properties and those of its object alternatives. */
function allowedKeys(schema: JsonSchema | undefined): string[] {
  if (schema === undefined) return [];
  const keys = Object.keys(schema.properties ?? {});
  for (const branch of schema.anyOf ?? []) keys.push(...allowedKeys(branch));
  return [...new Set(keys)];
}

/** The words for what a failed pattern wanted. */
function patternWords(pattern: string): string {
  return PATTERN_WORDS[pattern] ?? `a string matching ${pattern}`;
}

/** A close variant of `text` that matches `pattern` (case or separator slips), if any. */
function repair(pattern: string, text: string): string | undefined {
  const re = new RegExp(pattern);
  const tries = [
    text.trim(),
    text.toLowerCase(),
    text.toUpperCase(),
    text.trim().toLowerCase().replace(/[^a-z0-9_:.-]+/g, '_'),
    text.trim().replace(/[^A-Za-z0-9_]+/g, '_'),
  ];
  return tries.find((t) => t !== text && t !== '' && re.test(t));
}

/** Maps single ajv errors to diagnostics located in one YAML tree. */
class Context {
  constructor(
    private readonly root: YamlNode,
    private readonly file: string,
  ) {}

  /** The span of the value at a pointer; an empty value is shown at its key. */
  private valueSpan(pointer: string): Span {
    const at = nodeAtPointer(this.root, pointer);
    if (at.node.span.end === at.node.span.start && at.key) return at.key.span;
    return at.node.span;
  }

  /** The span of the key that leads to a pointer, or of the node when it has no key (list items, root). */
  private keySpan(pointer: string): Span {
    const at = nodeAtPointer(this.root, pointer);
    return at.exact && at.key ? at.key.span : at.node.span;
  }

  private label(pointer: string): string {
    return placeLabel(this.root, pointer);
  }

  /** One diagnostic for every key a mapping lacks. */
  missing(group: readonly AjvError[]): Diagnostic | undefined {
    const first = group[0];
    if (first === undefined) return undefined;
    const keys = group.map((e) => String(e.params.missingProperty));
    const props = (first.parentSchema as JsonSchema | undefined)?.properties ?? {};
    const where = first.instancePath;
    const message =
      keys.length === 1
        ? `${this.label(where)} is missing required key ${quote(keys[0])}`
        : `${this.label(where)} is missing required keys ${joinAnd(keys.map((k) => quote(k)))}`;
    const examples = keys.filter((k) => props[k]?.examples?.length).map((k) => `${k}: ${yamlFlow(props[k]!.examples![0])}`);
    const hint = examples.length > 0 ? `add ${joinAnd(examples.map((x) => `'${x}'`))}` : undefined;
    return diag('M111', this.file, this.keySpan(where), message, { hint });
  }

  /** The diagnostic for one (non-`required`) ajv error, or undefined when another covers it. */
  map(e: AjvError): Diagnostic | undefined {
    const where = e.instancePath;
    const params = e.params as Record<string, unknown>;
    const schema = e.parentSchema as JsonSchema | undefined;
    switch (e.keyword) {
      case 'additionalProperties':
        return this.unknownKey(where, String(params.additionalProperty), schema);
      case 'type':
        return this.wrongType(where, String(params.type), e.data);
      case 'anyOf':
      case 'oneOf':
        return this.noAlternative(where, e.schema as readonly JsonSchema[], e.data);
      case 'enum':
        return this.notOneOf(where, params.allowedValues as readonly unknown[], e.data);
      case 'const':
        return this.notOneOf(where, [params.allowedValue], e.data);
      case 'pattern':
        return e.propertyName !== undefined
          ? this.badKeyName(where, e.propertyName, String(params.pattern))
          : this.badPattern(where, String(params.pattern), String(e.data));
      case 'propertyNames':
        return undefined; // its `pattern` error names the key
      case 'minimum':
        return this.invalid(where, `must be at least ${String(params.limit)}, found ${foundWords(e.data)}`);
      case 'maximum':
        return this.invalid(where, `must be at most ${String(params.limit)}, found ${foundWords(e.data)}`);
      case 'exclusiveMinimum':
        return this.invalid(where, `must be greater than ${String(params.limit)}, found ${foundWords(e.data)}`);
      case 'minItems': {
        const n = Number(params.limit);
        const found = Array.isArray(e.data) ? e.data.length : 0;
        return this.invalid(where, `must list at least ${n} ${n === 1 ? 'item' : 'items'}, found ${found}`);
      }
      case 'minLength':
        return this.invalid(where, 'must not be empty');
      case 'uniqueItems':
        return this.duplicateItem(where, Number(params.i), Number(params.j), e.data);
      default:
        return this.invalid(where, e.message ?? 'is not valid');
    }
  }

  private invalid(where: string, predicate: string, hint?: string): Diagnostic {
    return diag('M113', this.file, this.valueSpan(where), `${this.label(where)} ${predicate}`, { hint });
  }

  private unknownKey(where: string, key: string, schema: JsonSchema | undefined): Diagnostic {
    const allowed = allowedKeys(schema);
    const message = where === '' ? `unknown top-level key ${quote(key)}` : `unknown key ${quote(key)} in ${this.label(where)}`;
    let hint = didYouMean(key, allowed);
    if (hint === undefined) {
      const parent = Object.entries(schema?.properties ?? {}).find(([, sub]) => allowedKeys(sub).includes(key));
      if (parent !== undefined) hint = `${quote(key)} belongs under ${quote(parent[0])}`;
    }
    if (hint === undefined && allowed.length > 0) hint = `allowed keys here: ${allowed.join(', ')}`;
    return diag('M110', this.file, this.keySpan(childPointer(where, key)), message, { hint });
  }

  private wrongType(where: string, type: string, data: unknown): Diagnostic {
    const wanted = joinOr(type.split(',').map(kindWords));
    const message = `${this.label(where)} must be ${wanted}, found ${foundWords(data)}`;
    let hint: string | undefined;
    const kind = jsonKind(data);
    if (where === '/version') {
      hint = `write version: ${yamlFlow(SUPPORTED_VERSIONS[0])} in quotes; unquoted, YAML reads it as a number`;
    } else if (type === 'string' && (kind === 'number' || kind === 'integer' || kind === 'boolean')) {
      hint = 'quote the value to make it a string';
    } else if (type === 'array' && kind !== 'object' && kind !== 'null') {
      hint = `write a list, e.g. [${yamlFlow(data)}]`;
    } else if (type === 'integer' && kind === 'number') {
      hint = `use a whole number such as ${Math.round(data as number)}`;
    }
    return diag('M112', this.file, this.valueSpan(where), message, { hint });
  }

  private noAlternative(where: string, branches: readonly JsonSchema[], data: unknown): Diagnostic {
    const wanted = joinOr(branches.map((b) => b.title ?? kindWords(typeof b.type === 'string' ? b.type : (b.type ?? ['value']).join(' or '))));
    return diag('M112', this.file, this.valueSpan(where), `${this.label(where)} must be ${wanted}, found ${foundWords(data)}`);
  }

  private notOneOf(where: string, allowed: readonly unknown[], data: unknown): Diagnostic {
    const hint = didYouMean(String(data), allowed.map(String));
    if (where === '/version') {
      const message = `unsupported policy version ${quote(data)}; this monetize understands ${joinOr(allowed.map(quote))}`;
      return diag('M115', this.file, this.valueSpan(where), message, { hint: `set version: ${yamlFlow(allowed[0])}` });
    }
    const wanted = allowed.length === 1 ? quote(allowed[0]) : `one of ${joinOr(allowed.map(quote))}`;
    return this.invalid(where, `must be ${wanted}, found ${foundWords(data)}`, hint);
  }

  private badPattern(where: string, pattern: string, text: string): Diagnostic {
    const fixed = repair(pattern, text);
    const hint = fixed === undefined ? undefined : `did you mean ${quote(fixed)}?`;
    return this.invalid(where, `must be ${patternWords(pattern)}, found ${quote(text)}`, hint);
  }

  private badKeyName(where: string, name: string, pattern: string): Diagnostic {
    const fixed = repair(pattern, name);
    const message = `name ${quote(name)} in ${this.label(where)} must be ${patternWords(pattern)}`;
    const hint = fixed === undefined ? undefined : `did you mean ${quote(fixed)}?`;
    return diag('M113', this.file, this.keySpan(childPointer(where, name)), message, { hint });
  }

  private duplicateItem(where: string, i: number, j: number, data: unknown): Diagnostic {
    const [first, later] = i < j ? [i, j] : [j, i];
    const item = Array.isArray(data) ? (data[later] as unknown) : undefined;
    const message = `${this.label(where)} lists ${quote(item)} twice (items ${first} and ${later})`;
    return diag('M113', this.file, this.valueSpan(childPointer(where, later)), message, { hint: 'remove the repeated item' });
  }
}
