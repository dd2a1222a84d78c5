/**
 * What the checker needs to explain an unknown path, built once per policy: a policy may declare
 * tens of thousands of fields and read many unknown ones, and scanning every field for every
 * unknown path would be quadratic in the size of the file.
 */
import type { Env } from './env.js';

/** How many fields an "is an object" hint names. */
const EXAMPLES = 3;

/** Fields by their parent objects and by root, from an environment. */
export class FieldIndex {
  /** Each object path (`asset.metadata`) with the first fields below it, in declaration order. */
  private readonly objects = new Map<string, string[]>();
  /** The fields of each root written `root.name`, in declaration order. */
  private readonly roots = new Map<string, string[]>();
  /** Parameter names, in declaration order. */
  readonly params: readonly string[];

  constructor(env: Env) {
    for (const path of env.fields.keys()) {
      for (let i = 1; i < path.length; i++) {
        if (path[i] !== '.' && path[i] !== '[') continue;
        const prefix = path.slice(0, i);
        const under = this.objects.get(prefix);
        if (!under) this.objects.set(prefix, [path]);
        else if (under.length < EXAMPLES) under.push(path);
      }
      const dot = path.indexOf('.');
      const bracket = path.indexOf('[');
      if (dot > 0 && (bracket < 0 || dot < bracket)) {
        const root = path.slice(0, dot);
        const list = this.roots.get(root);
        if (list) list.push(path);
        else this.roots.set(root, [path]);
      }
    }
    this.params = [...env.params.keys()];
  }

  /** Up to three fields below `path` when it names an object rather than a field; else none. */
  fieldsUnder(path: string): readonly string[] {
    return this.objects.get(path) ?? [];
  }

  /** The fields of a root (`user.*`), as `root.name` paths. */
  fieldsOf(root: string): readonly string[] {
    return this.roots.get(root) ?? [];
  }
}
