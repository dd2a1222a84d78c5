import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { renderPretty } from '../../src/diag/render/pretty.js';
import { SourceFile } from '../../src/diag/source.js';
import { loadYaml, MAX_ALIAS_CHARS } from '../../src/yaml/load.js';
import { nodeAtPointer, toValue, type YamlScalar } from '../../src/yaml/node.js';

function load(text: string) {
  return loadYaml(new SourceFile('t.yaml', text));
}

/** The text each decoded character of a string scalar maps back to. */
function offsetsOf(s: YamlScalar): number[] {
  const o = s.offsets!;
  return typeof o === 'number' ? Array.from({ length: String(s.value).length + 1 }, (_, i) => o + i) : [...o];
}
function mapped(text: string, s: YamlScalar): string {
  return offsetsOf(s).slice(0, -1).map((o) => text[o]).join('');
}

describe('loadYaml', () => {
  it('loads the seed policy to the same value js-yaml gives', async () => {
    const text = readFileSync('examples/monetization-policy.yaml', 'utf8');
    const { root, diagnostics } = load(text);
    expect(diagnostics).toEqual([]);
    const { load: jsLoad } = await import('js-yaml');
    expect(toValue(root!)).toEqual(jsLoad(text));
  });

  it('resolves plain scalars by the core schema and keeps quoted ones as strings', () => {
    const { root } = load('a: 1\nb: "1"\nc: true\nd: ~\ne: 1.5\nf: x y\n');
    expect(toValue(root!)).toEqual({ a: 1, b: '1', c: true, d: null, e: 1.5, f: 'x y' });
  });

  it('maps characters of quoted strings back to their source offsets through escapes', () => {
    const text = 'c: "a\\"b \\u00e9x"\nd: \'it\'\'s\'\n';
    const { root } = load(text);
    const c = nodeAtPointer(root!, '/c').node as YamlScalar;
    expect(c.value).toBe('a"b éx');
    expect(offsetsOf(c)[2]).toBe(text.indexOf('b'));
    expect(offsetsOf(c)[5]).toBe(text.indexOf('x"'));
    const d = nodeAtPointer(root!, '/d').node as YamlScalar;
    expect(d.value).toBe("it's");
    expect(mapped(text, d)).toBe("it's");
    expect(c.span).toEqual({ start: 3, end: text.indexOf('\n') });
  });

  it('maps block and folded scalars line by line', () => {
    const text = 'x: |\n  ab\n  cd\ny: >-\n  ef\n  gh\n';
    const { root } = load(text);
    const x = nodeAtPointer(root!, '/x').node as YamlScalar;
    expect(x.value).toBe('ab\ncd\n');
    expect(offsetsOf(x)[3]).toBe(text.indexOf('cd'));
    const y = nodeAtPointer(root!, '/y').node as YamlScalar;
    expect(y.value).toBe('ef gh');
    expect(offsetsOf(y)[3]).toBe(text.indexOf('gh'));
  });

  it('reports YAML syntax errors at their position without throwing', () => {
    const text = 'rules:\n  - id: a\n   bad: [1, 2\n';
    const { root, diagnostics } = load(text);
    expect(root).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.code).toBe('M101');
  });

  it('reports duplicate keys with a label on the first one', () => {
    const text = 'a: 1\nb: 2\na: 3\n';
    const { diagnostics } = load(text);
    expect(diagnostics.map((d) => [d.code, d.span.start])).toEqual([['M102', 10]]);
    expect(diagnostics[0]!.labels![0]!.span.start).toBe(0);
  });

  it('rejects empty files and multiple documents', () => {
    expect(load('').diagnostics[0]!.code).toBe('M103');
    expect(load('# only a comment\n').diagnostics[0]!.code).toBe('M103');
    expect(load('a: 1\n---\nb: 2\n').diagnostics[0]!.code).toBe('M103');
  });

  it('resolves aliases to their anchored node', () => {
    const { root, diagnostics } = load('a: &x [1, 2]\nb: *x\n');
    expect(diagnostics).toEqual([]);
    expect(toValue(root!)).toEqual({ a: [1, 2], b: [1, 2] });
  });

  it('rejects custom tags', () => {
    expect(load('a: !!binary aGk=\n').diagnostics[0]!.code).toBe('M104');
  });

  it('does not let __proto__ keys change the prototype of loaded values', () => {
    const { root } = load('__proto__: {polluted: true}\n');
    const v = toValue(root!) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('hostile and unusual YAML', () => {
  it('stops nested aliases from expanding exponentially (M104)', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const t0 = performance.now();
    const { diagnostics } = load(lines.join('\n') + '\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['M104']);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  /** A policy whose rules all take their reason from one anchored string of `length` characters. */
  function aliasedReasons(length: number, aliases: number): string {
    const lines = ['version: "1.0"', 'rules:', `  - id: r0`, `    action: {allow: false, reason: &big "${'x'.repeat(length)}"}`];
    for (let i = 1; i <= aliases; i++) lines.push(`  - id: r${i}`, '    action: {allow: false, reason: *big}');
    return lines.join('\n') + '\n';
  }

  it('bounds the characters aliases expand to, not only their nodes (M104 at the alias)', () => {
    // A 1 MB string aliased 600 times is 600 MB once expanded: one node per alias, so only the
    // character count can catch it.
    const text = aliasedReasons(1_000_000, 600);
    const { root, diagnostics } = load(text);
    expect(root).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['M104']);
    const d = diagnostics[0]!;
    const second = text.indexOf('*big', text.indexOf('*big') + 1);
    expect(d.span).toEqual({ start: second, end: second + 4 });
    expect(d.message).toBe("aliases expand to more than 1,000,000 characters: each alias counts as a full copy of '&big'");
    expect(d.hint).toMatch(/alias smaller parts|write the repeated text out/);
    expect(d.labels![0]!.span.start).toBe(text.indexOf('&big'));
  });

  it('allows aliases that expand to exactly the character limit, and rejects the next alias', () => {
    const length = 10_000;
    const fits = MAX_ALIAS_CHARS / length;
    expect(load(aliasedReasons(length, fits)).diagnostics).toEqual([]);
    const text = aliasedReasons(length, fits + 1);
    const { diagnostics } = load(text);
    expect(diagnostics.map((d) => [d.code, d.span.start])).toEqual([['M104', text.lastIndexOf('*big')]]);
  });

  it('counts the keys and values of an aliased mapping, and aliases nested inside it, as copies', () => {
    // 600 aliases of a map whose key and value each alias a 1,000-character string: 1,200,000.
    const s = 'k'.repeat(1_000);
    const lines = [`s: &s ${s}`, 'm: &m {*s : *s}', 'l:'];
    for (let i = 0; i < 600; i++) lines.push('  - *m');
    const { diagnostics } = load(lines.join('\n') + '\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['M104']);
  });

  /** What `monetize lint` prints for `text`, without colour. */
  function printed(text: string): string {
    const file = new SourceFile('t.yaml', text);
    return renderPretty(loadYaml(file).diagnostics, new Map([[file.path, file]]), { color: false });
  }

  it('points at the opening quote of an unclosed double-quoted string, not at the next line', () => {
    const text = 'rules:\n  - id: a\n    condition: "user.tier == \'pro\'\n    action: {allow: true}\n';
    expect(printed(text)).toBe(
      [
        't.yaml:3:16: error[M101]: invalid YAML: unclosed double-quoted string: this " has no closing "',
        "  3 |     condition: \"user.tier == 'pro'",
        '    |                ^~~~~~~~~~~~~~~~~~~',
        '  = help: add the closing " where the value ends (write \\" for a quote inside the string)',
        '  note: YAML read on to here looking for the closing quote',
        '  --> t.yaml:4:5',
        '  4 |     action: {allow: true}',
        '    |     ^',
        '',
      ].join('\n'),
    );
  });

  it('points at the opening quote of an unclosed single-quoted string', () => {
    const text = "rules:\n  - id: 'it''s\n    action: {allow: true}\n";
    const [d] = load(text).diagnostics;
    expect([d!.code, d!.span.start, d!.message]).toEqual(['M101', text.indexOf("'it"), "invalid YAML: unclosed single-quoted string: this ' has no closing '"]);
    expect(d!.hint).toBe("add the closing ' where the value ends (write '' for a quote inside the string)");
  });

  it.each([
    ['at the end of the file', 'version: "1.0"\nrules: "abc\n', 'rules: '.length + 15],
    ['inside a flow collection', 'a: ["abc, 1]\nb: 2\n', 4],
    ['after an escaped quote', 'a: "x\\"\nb: 1\n', 3],
    ['in a later document', 'a: x\n---\nb: "y\n---\nc: 1\n', 12],
    ['after a closed string', 'a: "x"\nb: "y\nc: 1\n', 10],
  ])('finds the unclosed quote %s', (_, text, at) => {
    expect(load(text).diagnostics.map((d) => [d.code, d.span.start, /unclosed/.test(d.message)])).toEqual([['M101', at, true]]);
  });

  it.each([
    ['a quote in a comment', "# it's a comment\na: [x,\ny]\n"],
    ['closed strings in a flow collection', 'x: "a"\nk: ["b",\n"c"]\n'],
    ['closed single-quoted strings', "x: 'a'\nk: ['b',\n'c']\n"],
  ])('does not blame %s for an indentation error that has another cause', (_, text) => {
    expect(load(text).diagnostics.map((d) => d.message)).toEqual(['invalid YAML: deficient indentation']);
  });

  it('counts a lone carriage return as a line break', () => {
    const f = new SourceFile('cr.yaml', 'a: 1\rb: 2\r');
    expect(f.position(5)).toEqual({ line: 2, column: 1 });
  });

  it('places an empty value just after its key', () => {
    const text = 'a:\n  b:\n  c: x\n';
    const b = nodeAtPointer(load(text).root!, '/a/b').node;
    expect(b.span).toEqual({ start: 7, end: 7 });
  });
});
