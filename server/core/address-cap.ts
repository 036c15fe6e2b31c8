// Open connections per remote address, across both doors: one address may hold at most `max` at
// once (logged in or still at the login prompts), so one host cannot take every slot, file
// descriptor and login timer the server has. 0 means no cap.
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 20;

export class AddressCap {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS) {}

  /** Counts a new connection from `address`; false (and nothing counted) if it is over the cap. */
  admit(address: string): boolean {
    const n = this.open.get(address) ?? 0;
    if (this.max > 0 && n >= this.max) return false;
    this.open.set(address, n + 1);
    return true;
  }

  /** A connection admitted from `address` has closed. */
  release(address: string): void {
    const n = this.open.get(address) ?? 0;
    if (n <= 1) this.open.delete(address);
    else this.open.set(address, n - 1);
  }

  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}

/** The message a refused connection gets, on either door. */
export function tooManyConnections(max: number): string {
  return `Too many connections from your address (at most ${max} at once). Close one and try again.`;
}
