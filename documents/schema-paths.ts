/**
 * What a zod data contract says of a path a template uses: whether the field exists, whether
 * it may be absent, and whether it is a list, a group of fields or a value. The template lint
 * asks this for every tag.
 */
import type { z } from 'zod';

export type FieldShape = 'list' | 'group' | 'value';

export interface FieldInfo {
  shape: FieldShape;
  /** The field may be absent (optional, nullable) somewhere along the path. */
  optional: boolean;
  /** For a list, its element; for a group, itself: the scope inside a section on it. */
  inner: z.ZodType | null;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under wrappers that do not change the shape, and whether one of them allows absence. */
function unwrap(schema: z.ZodType): { schema: z.ZodType; optional: boolean } {
  let optional = false;
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.type === 'optional' || def.type === 'nullable') optional = true;
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'prefault' || def.type === 'readonly' || def.type === 'catch' || def.type === 'nonoptional') && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.out && def.in) {
      // A template sees the data after parsing: the output side, unless it is a bare transform.
      current = defOf(def.out).type === 'transform' ? def.in : def.out;
    } else {
      return { schema: current, optional };
    }
  }
}

function shapeOf(schema: z.ZodType): FieldShape {
  const type = defOf(schema).type;
  if (type === 'array') return 'list';
  if (type === 'object') return 'group';
  return 'value';
}

/** The schema of a group's field; in a union, of the first alternative that has it. */
function childOf(schema: z.ZodType, key: string): z.ZodType | undefined {
  const def = defOf(schema);
  if (def.type === 'object') return def.shape?.[key];
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const child = childOf(unwrap(option).schema, key);
      if (child) return child;
    }
  }
  return undefined;
}

/** The field at `path` from `schema`, or `null` when the contract has no such field. */
export function fieldAt(schema: z.ZodType, path: readonly string[]): FieldInfo | null {
  let { schema: current, optional } = unwrap(schema);
  for (const key of path) {
    if (defOf(current).type === 'array' && key === 'length') return { shape: 'value', optional, inner: null };
    const next = childOf(current, key);
    if (!next) return null;
    const unwrapped = unwrap(next);
    current = unwrapped.schema;
    optional ||= unwrapped.optional;
  }
  const shape = shapeOf(current);
  return { shape, optional, inner: shape === 'list' ? unwrap(defOf(current).element!).schema : shape === 'group' ? current : null };
}

/** The names of a group's fields, for «есть поля: …» in a message. */
export function fieldNames(schema: z.ZodType): string[] {
  const def = defOf(unwrap(schema).schema);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
