import { ValidationError } from '../errors';

/**
 * An open registry of extensions keyed by name (email providers, connectors, models).
 * Plugins register into it at boot; core looks extensions up by key. Never a closed switch.
 */
export class ExtensionRegistry<T extends { key: string }> {
  private readonly items = new Map<string, { item: T; owner: string }>();

  constructor(readonly kind: string) {}

  /** Adds an extension; a key registered twice is a boot error naming both owners. */
  register(item: T, owner: string): void {
    const existing = this.items.get(item.key);
    if (existing) {
      throw new Error(`${this.kind} "${item.key}" is registered by both ${existing.owner} and ${owner}`);
    }
    this.items.set(item.key, { item, owner });
  }

  get(key: string): T | undefined {
    return this.items.get(key)?.item;
  }

  /** Looks up `key`, or fails with a validation error listing what exists. */
  require(key: string, path: (string | number)[] = ['key']): T {
    const found = this.get(key);
    if (!found) {
      const known = [...this.items.keys()].join(', ') || 'none';
      throw ValidationError.at(path, `unknown ${this.kind} "${key}" (registered: ${known})`);
    }
    return found;
  }

  ownerOf(key: string): string | undefined {
    return this.items.get(key)?.owner;
  }

  list(): T[] {
    return [...this.items.values()].map((v) => v.item);
  }
}
