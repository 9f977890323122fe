import type { TextSlot } from './text-slots';

type Container = Record<string, unknown> | unknown[];

/** Decides whether a member is left out of the walk (its owner handles it in another way). */
export type SkipMember = (owner: Container, key: string | number) => boolean;

/**
 * A slot for every string value inside `root` (which is changed in place through the slots).
 * Member names are not included: they are names, and renaming them would change the shape that
 * clients read. Walks with an explicit stack, so a deeply nested answer cannot overflow the call
 * stack.
 */
export function stringSlots(root: unknown, skip: SkipMember = () => false): TextSlot[] {
  const slots: TextSlot[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) {
        if (skip(value, index)) continue;
        visit(value, index, value[index]);
      }
    } else if (isObject(value)) {
      for (const [key, member] of Object.entries(value)) {
        if (skip(value, key)) continue;
        visit(value, key, member);
      }
    }
  }
  return slots;

  function visit(owner: Container, key: string | number, member: unknown): void {
    if (typeof member === 'string') slots.push(new MemberSlot(owner, key, member));
    else if (typeof member === 'object' && member !== null) stack.push(member);
  }
}

/** A slot over `owner[key]`. */
export class MemberSlot implements TextSlot {
  constructor(
    private readonly owner: Container,
    private readonly key: string | number,
    public text: string,
  ) {}

  replace(text: string): void {
    (this.owner as Record<string | number, unknown>)[this.key] = text;
    this.text = text;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A deep copy of a parsed JSON value, made with an explicit stack: structuredClone recurses and
 * overflows on the nesting depth that JSON.parse accepts (measured: 100,000 levels).
 */
export function cloneJson<T>(value: T): T {
  const copy: unknown[] = [undefined];
  const stack: [unknown, Container, string | number][] = [[value, copy, 0]];
  while (stack.length > 0) {
    const [source, target, key] = stack.pop() as [unknown, Container, string | number];
    let cloned: unknown = source;
    if (Array.isArray(source)) {
      const array: unknown[] = new Array<unknown>(source.length);
      source.forEach((member, index) => stack.push([member, array, index]));
      cloned = array;
    } else if (isObject(source)) {
      const object: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(source)) stack.push([member, object, name]);
      cloned = object;
    }
    (target as Record<string | number, unknown>)[key] = cloned;
  }
  return copy[0] as T;
}
