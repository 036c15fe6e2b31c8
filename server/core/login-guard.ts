// Wrong passwords, counted across both doors and across connections: per address (one guesser
// trying many accounts) and per account (many addresses trying one). Reconnecting does not reset
// either count. Past a few failures every attempt waits before its password is even checked, the
// wait doubling with each failure, as the admin API does for its token.
import { FailureThrottle, type ThrottleOptions } from './failure-throttle.js';

export class LoginGuard {
  private readonly byAddress: FailureThrottle;
  private readonly byAccount: FailureThrottle;

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.byAddress = new FailureThrottle(opts);
    this.byAccount = new FailureThrottle(opts);
  }

  /** Milliseconds a login from `address` as `name` waits before it is checked. */
  delayFor(address: string, name: string): number {
    return Math.max(this.byAddress.delayFor(address), this.byAccount.delayFor(name.toLowerCase()));
  }

  failed(address: string, name: string): void {
    this.byAddress.fail(address);
    this.byAccount.fail(name.toLowerCase());
  }

  /** The right password: this address and this account start afresh. */
  succeeded(address: string, name: string): void {
    this.byAddress.succeed(address);
    this.byAccount.succeed(name.toLowerCase());
  }
}
