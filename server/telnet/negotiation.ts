// Option negotiation by the Q method of RFC 1143: one state per side per option, so a peer that
// answers twice, never answers, or offers what we refused cannot make us loop or disagree.
import { DO, DONT, WILL, WONT, type Verb } from './codes.js';

type Q = 'no' | 'yes' | 'wantno' | 'wantyes';
export type Side = 'local' | 'remote';

/** What one option does. `local`: we perform it (we say WILL); `remote`: the client does (DO). */
export interface TelnetOption {
  readonly code: number;
  readonly local?: boolean;
  readonly remote?: boolean;
  enabled?(side: Side): void;
  disabled?(side: Side): void;
  subnegotiation?(payload: Buffer): void;
}

export class Negotiator {
  private readonly us = new Map<number, Q>();
  private readonly him = new Map<number, Q>();
  private readonly options = new Map<number, TelnetOption>();

  constructor(private readonly send: (verb: Verb, option: number) => void) {}

  register(option: TelnetOption): void {
    this.options.set(option.code, option);
  }

  isLocal(code: number): boolean {
    return this.us.get(code) === 'yes';
  }

  isRemote(code: number): boolean {
    return this.him.get(code) === 'yes';
  }

  /** Offer to perform an option (IAC WILL), or stop performing it (IAC WONT). */
  setLocal(code: number, on: boolean): void {
    const state = this.us.get(code) ?? 'no';
    if (on && (state === 'no' || state === 'wantno')) {
      this.us.set(code, 'wantyes');
      this.send(WILL, code);
    } else if (!on && (state === 'yes' || state === 'wantyes')) {
      this.us.set(code, 'wantno');
      this.send(WONT, code);
      if (state === 'yes') this.options.get(code)?.disabled?.('local');
    }
  }

  /** Ask the client to perform an option (IAC DO), or to stop (IAC DONT). */
  setRemote(code: number, on: boolean): void {
    const state = this.him.get(code) ?? 'no';
    if (on && (state === 'no' || state === 'wantno')) {
      this.him.set(code, 'wantyes');
      this.send(DO, code);
    } else if (!on && (state === 'yes' || state === 'wantyes')) {
      this.him.set(code, 'wantno');
      this.send(DONT, code);
      if (state === 'yes') this.options.get(code)?.disabled?.('remote');
    }
  }

  receive(verb: Verb, code: number): void {
    const option = this.options.get(code);
    if (verb === WILL || verb === WONT) {
      const state = this.him.get(code) ?? 'no';
      const next = step(state, verb === WILL, option?.remote === true);
      this.him.set(code, next.state);
      if (next.reply !== undefined) this.send(next.reply ? DO : DONT, code);
      if (next.state === 'yes' && state !== 'yes') option?.enabled?.('remote');
      if (next.state === 'no' && state === 'yes') option?.disabled?.('remote');
    } else {
      const state = this.us.get(code) ?? 'no';
      const next = step(state, verb === DO, option?.local === true);
      this.us.set(code, next.state);
      if (next.reply !== undefined) this.send(next.reply ? WILL : WONT, code);
      if (next.state === 'yes' && state !== 'yes') option?.enabled?.('local');
      if (next.state === 'no' && state === 'yes') option?.disabled?.('local');
    }
  }

  /** A subnegotiation for an option that is not enabled on either side is ignored. */
  subnegotiation(code: number, payload: Buffer): boolean {
    const option = this.options.get(code);
    if (!option?.subnegotiation) return false;
    if (!this.isLocal(code) && !this.isRemote(code)) return false;
    option.subnegotiation(payload);
    return true;
  }
}

/**
 * One RFC 1143 transition (without the queue bit): the peer asked for the option `on` or off;
 * `accept` says whether we support it. `reply` is true/false for an answer to send, or undefined.
 */
function step(state: Q, on: boolean, accept: boolean): { state: Q; reply?: boolean } {
  if (on) {
    switch (state) {
      case 'no':
        return accept ? { state: 'yes', reply: true } : { state: 'no', reply: false };
      case 'yes':
        return { state: 'yes' };
      case 'wantno':
        return { state: 'no' }; // "DONT answered by WILL": an error by the peer; settle on no
      case 'wantyes':
        return { state: 'yes' };
    }
  }
  switch (state) {
    case 'no':
      return { state: 'no' };
    case 'yes':
      return { state: 'no', reply: false };
    case 'wantno':
    case 'wantyes':
      return { state: 'no' };
  }
}
