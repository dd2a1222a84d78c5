import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SourceFile } from '../../src/diag/source.js';
import { loadYaml } from '../../src/yaml/load.js';
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
