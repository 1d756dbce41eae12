/** A tiny deterministic PRNG (mulberry32): the same seed gives the same cases on every machine. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Printable ASCII plus some awkward characters (quotes, braces, controls, non-BMP). */
  string(maxLength = 24): string {
    const alphabet = 'abcxyz_-/.:{}[]"\\\'$@# \t\n\u0000\u00e9\u2028\ud83d\ude00<>%&;';
    let out = '';
    const length = this.int(maxLength + 1);
    for (let i = 0; i < length; i++) out += this.pick([...alphabet]);
    return out;
  }

  /** Any JSON value, nested up to `depth`. */
  json(depth = 3): unknown {
    const kinds = depth > 0 ? 9 : 7;
    switch (this.int(kinds)) {
      case 0: return null;
      case 1: return this.chance(0.5);
      case 2: return this.int(2000) - 1000;
      case 3: return this.pick([1e308, -1e308, 2 ** 53 + 1, -0, 0.5, Number.MAX_SAFE_INTEGER, 1e-300]);
      case 4: return this.string();
      case 5: return this.pick(['', 'x'.repeat(2000), '__proto__', 'constructor', 'null', '0']);
      case 6: return {};
      case 7: return Array.from({ length: this.int(4) }, () => this.json(depth - 1));
      default: {
        const obj: Record<string, unknown> = {};
        for (let i = this.int(4); i > 0; i--) obj[this.pick(['a', 'name', 'arguments', 'cursor', '__proto__', 'constructor', this.string(8)])] = this.json(depth - 1);
        return obj;
      }
    }
  }
}

/** FUZZ_SEED from the environment, or a fresh one (printed by the caller so a failure can be replayed). */
export function fuzzSeed(): number {
  const fromEnv = process.env.FUZZ_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`FUZZ_SEED must be an integer 0..4294967295, got "${fromEnv}"`);
    return seed;
  }
  return Math.floor(Math.random() * 0x100000000);
}
