// An immutable table of values by string key whose versions share structure: a hash array
// mapped trie, as behind Clojure's and Immutable.js's maps. Changing k rows of an n-row table
// costs O(k log32 n) and leaves every other row, and nearly all of the trie, shared with the
// version before. That lets the store apply a batch in time proportional to the batch while
// staying pure, and lets views compare tables and rows by identity. Reads look like a Map's.

const BITS = 5;
const MASK = (1 << BITS) - 1;

interface Leaf<T> {
  readonly kind: 'leaf';
  readonly hash: number;
  readonly key: string;
  readonly value: T;
}

/** Keys whose 32-bit hashes are all equal. Rare, so never changed in place. */
interface Collision<T> {
  readonly kind: 'collision';
  readonly hash: number;
  readonly leaves: readonly Leaf<T>[];
}

/**
 * Up to 32 children, one per value of the hash's 5 bits at this depth; `bitmap` says which
 * values have one, and `children` holds them in bit order. `edit` names the edit that created
 * the branch: only that edit may still change it in place, because no table shows it yet.
 */
interface Branch<T> {
  readonly kind: 'branch';
  bitmap: number;
  children: Node<T>[];
  edit: number;
}

type Node<T> = Leaf<T> | Collision<T> | Branch<T>;

/** FNV-1a, then murmur3's finalizer so that keys differing in one character spread over the slots. Exported for tests. */
export function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

const slot = (hash: number, shift: number): number => 1 << ((hash >>> shift) & MASK);
const indexOf = (bitmap: number, bit: number): number => popcount(bitmap & (bit - 1));
const leaf = <T>(hash: number, key: string, value: T): Leaf<T> => ({ kind: 'leaf', hash, key, value });

function findLeaf<T>(root: Node<T> | undefined, key: string): Leaf<T> | undefined {
  const hash = hashOf(key);
  let node = root;
  for (let shift = 0; node !== undefined; shift += BITS) {
    if (node.kind === 'leaf') return node.key === key ? node : undefined;
    if (node.kind === 'collision') return node.hash === hash ? node.leaves.find((l) => l.key === key) : undefined;
    const bit = slot(hash, shift);
    if ((node.bitmap & bit) === 0) return undefined;
    node = node.children[indexOf(node.bitmap, bit)];
  }
  return undefined;
}

/** Depth first with an explicit stack: one generator frame however deep the trie is. */
function* leavesOf<T>(root: Node<T> | undefined): Generator<Leaf<T>, void, undefined> {
  const stack: Node<T>[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'leaf') yield node;
    else if (node.kind === 'collision') yield* node.leaves;
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

let lastEdit = 0;

/**
 * A table being changed: set and delete as on a Map, then `done()` for the new table. The
 * table it started from never changes. Values must not be `undefined` (get could not tell).
 */
export class TableEdit<T> {
  private edit = ++lastEdit;
  /** The root of `base`: when `root` is still it, nothing changed. */
  private baseRoot: Node<T> | undefined;

  constructor(
    private base: Table<T>,
    private root: Node<T> | undefined,
    private count: number,
  ) {
    this.baseRoot = root;
  }

  get size(): number {
    return this.count;
  }

  get(key: string): T | undefined {
    return findLeaf(this.root, key)?.value;
  }

  /** The keys as they are now (a copy: deleting while walking them is fine). */
  keys(): string[] {
    return Array.from(leavesOf(this.root), (l) => l.key);
  }

  /** Setting the value a key already holds (the same object) changes nothing. */
  set(key: string, value: T): this {
    this.root = this.put(this.root, 0, hashOf(key), key, value);
    return this;
  }

  delete(key: string): this {
    this.root = this.remove(this.root, 0, hashOf(key), key);
    return this;
  }

  /** The edited table: the one this edit started from when nothing changed. */
  done(): Table<T> {
    if (this.root !== this.baseRoot) {
      this.base = new Table(this.root, this.count);
      this.baseRoot = this.root;
      // The new table shows this edit's branches now: later changes must copy them.
      this.edit = ++lastEdit;
    }
    return this.base;
  }

  private put(node: Node<T> | undefined, shift: number, hash: number, key: string, value: T): Node<T> {
    if (node === undefined) {
      this.count++;
      return leaf(hash, key, value);
    }
    if (node.kind === 'leaf') {
      if (node.key === key) return node.value === value ? node : leaf(hash, key, value);
      this.count++;
      const added = leaf(hash, key, value);
      return node.hash === hash ? { kind: 'collision', hash, leaves: [node, added] } : this.join(shift, node, added);
    }
    if (node.kind === 'collision') {
      if (node.hash !== hash) {
        this.count++;
        return this.join(shift, node, leaf(hash, key, value));
      }
      const i = node.leaves.findIndex((l) => l.key === key);
      if (i >= 0 && node.leaves[i]!.value === value) return node;
      const leaves = [...node.leaves];
      if (i >= 0) leaves[i] = leaf(hash, key, value);
      else {
        leaves.push(leaf(hash, key, value));
        this.count++;
      }
      return { kind: 'collision', hash, leaves };
    }
    const bit = slot(hash, shift);
    const i = indexOf(node.bitmap, bit);
    if ((node.bitmap & bit) === 0) {
      this.count++;
      const own = this.own(node);
      own.children.splice(i, 0, leaf(hash, key, value));
      own.bitmap |= bit;
      return own;
    }
    const child = node.children[i]!;
    const next = this.put(child, shift + BITS, hash, key, value);
    if (next === child) return node;
    const own = this.own(node);
    own.children[i] = next;
    return own;
  }

  private remove(node: Node<T> | undefined, shift: number, hash: number, key: string): Node<T> | undefined {
    if (node === undefined) return undefined;
    if (node.kind === 'leaf') {
      if (node.key !== key) return node;
      this.count--;
      return undefined;
    }
    if (node.kind === 'collision') {
      if (node.hash !== hash) return node;
      const leaves = node.leaves.filter((l) => l.key !== key);
      if (leaves.length === node.leaves.length) return node;
      this.count--;
      return leaves.length === 1 ? leaves[0] : { kind: 'collision', hash, leaves };
    }
    const bit = slot(hash, shift);
    if ((node.bitmap & bit) === 0) return node;
    const i = indexOf(node.bitmap, bit);
    const child = node.children[i]!;
    const next = this.remove(child, shift + BITS, hash, key);
    if (next === child) return node;
    const n = node.children.length;
    // A branch left with one leaf gives way to it: the leaf's place is still found by its hash.
    if (next === undefined && n === 1) return undefined;
    if (next === undefined && n === 2 && node.children[1 - i]!.kind !== 'branch') return node.children[1 - i];
    if (next !== undefined && n === 1 && next.kind !== 'branch') return next;
    const own = this.own(node);
    if (next === undefined) {
      own.children.splice(i, 1);
      own.bitmap &= ~bit;
    } else own.children[i] = next;
    return own;
  }

  /** The branch itself when this edit created it (no table shows it yet), else this edit's copy. */
  private own(node: Branch<T>): Branch<T> {
    return node.edit === this.edit ? node : { kind: 'branch', bitmap: node.bitmap, children: [...node.children], edit: this.edit };
  }

  /** Branches holding two nodes whose hashes differ, as deep as their hashes agree. */
  private join(shift: number, a: Leaf<T> | Collision<T>, b: Leaf<T>): Branch<T> {
    const ia = (a.hash >>> shift) & MASK;
    const ib = (b.hash >>> shift) & MASK;
    const children = ia === ib ? [this.join(shift + BITS, a, b)] : ia < ib ? [a, b] : [b, a];
    return { kind: 'branch', bitmap: (1 << ia) | (1 << ib), children, edit: this.edit };
  }
}

/**
 * Rows by key, immutable. Build one with `Table.from`, change it with `edit()`. Iteration order
 * is the trie's, not insertion order: views sort what they show.
 */
export class Table<T> implements Iterable<[string, T]> {
  /** Not for direct use: tables come from `Table.empty`, `Table.from` and `edit().done()`. */
  constructor(
    private readonly root: Node<T> | undefined,
    readonly size: number,
  ) {}

  static empty<T>(): Table<T> {
    return EMPTY as Table<T>;
  }

  static from<T>(entries: Iterable<readonly [string, T]>): Table<T> {
    const edit = Table.empty<T>().edit();
    for (const [key, value] of entries) edit.set(key, value);
    return edit.done();
  }

  get(key: string): T | undefined {
    return findLeaf(this.root, key)?.value;
  }

  has(key: string): boolean {
    return findLeaf(this.root, key) !== undefined;
  }

  edit(): TableEdit<T> {
    return new TableEdit(this, this.root, this.size);
  }

  *entries(): Generator<[string, T], void, undefined> {
    for (const l of leavesOf(this.root)) yield [l.key, l.value];
  }

  *keys(): Generator<string, void, undefined> {
    for (const l of leavesOf(this.root)) yield l.key;
  }

  *values(): Generator<T, void, undefined> {
    for (const l of leavesOf(this.root)) yield l.value;
  }

  [Symbol.iterator](): Generator<[string, T], void, undefined> {
    return this.entries();
  }

  /** A plain object, so a model still serializes as it did when its tables were records. */
  toJSON(): Record<string, T> {
    return Object.fromEntries(this.entries());
  }
}

const EMPTY = new Table<never>(undefined, 0);
