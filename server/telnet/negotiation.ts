// Option negotiation by the Q method of RFC 1143: one state per side per option, with the queue
// bit, so a peer that answers twice, never answers, or offers what we refused cannot make us loop
// or disagree, even when we change our mind again before the peer has answered.
//
// One departure from the RFC: turning an option off while our request to turn it on is still
// unanswered sends the WONT/DONT at once (the RFC queues it). A client that never answers WILL
// ECHO must still hear WONT ECHO after a password. It stays loop-free because an RFC 1143 peer
// answers that pair predictably: DO then DONT if it had agreed, a lone DONT if it had refused.
import { DO, DONT, WILL, WONT, type Verb } from './codes.js';

// `*_opp`: the RFC's queue bit is OPPOSITE: once the peer answers, ask for the other state.
// `offering_off`: we asked for on, then (unanswered) for off; `offering_off_opp`: and on again.
type Q = 'no' | 'yes' | 'wantno' | 'wantyes' | 'wantno_opp' | 'offering_off' | 'offering_off_opp';
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
    this.request('local', code, on);
  }

  /** Ask the client to perform an option (IAC DO), or to stop (IAC DONT). */
  setRemote(code: number, on: boolean): void {
    this.request('remote', code, on);
  }

  receive(verb: Verb, code: number): void {
    const option = this.options.get(code);
    const side: Side = verb === WILL || verb === WONT ? 'remote' : 'local';
    const accept = side === 'remote' ? option?.remote === true : option?.local === true;
    const table = side === 'remote' ? this.him : this.us;
    const state = table.get(code) ?? 'no';
    const next = answer(state, verb === WILL || verb === DO, accept);
    table.set(code, next.state);
    if (next.reply !== undefined) this.send(verbFor(side, next.reply), code);
    this.notify(option, side, state, next.state);
  }

  /** A subnegotiation for an option that is not enabled on either side is ignored. */
  subnegotiation(code: number, payload: Buffer): boolean {
    const option = this.options.get(code);
    if (!option?.subnegotiation) return false;
    if (!this.isLocal(code) && !this.isRemote(code)) return false;
    option.subnegotiation(payload);
    return true;
  }

  private request(side: Side, code: number, on: boolean): void {
    const table = side === 'local' ? this.us : this.him;
    const state = table.get(code) ?? 'no';
    const next = ask(state, on);
    table.set(code, next.state);
    if (next.send !== undefined) this.send(verbFor(side, next.send), code);
    this.notify(this.options.get(code), side, state, next.state);
  }

  private notify(option: TelnetOption | undefined, side: Side, from: Q, to: Q): void {
    if (to === 'yes' && from !== 'yes') option?.enabled?.(side);
    if (from === 'yes' && to !== 'yes') option?.disabled?.(side);
  }
}

/** local side: WILL/WONT; remote side: DO/DONT. */
function verbFor(side: Side, on: boolean): Verb {
  if (side === 'local') return on ? WILL : WONT;
  return on ? DO : DONT;
}

/** RFC 1143 "we want the option on/off": the new state, and what to send (if anything). */
function ask(state: Q, on: boolean): { state: Q; send?: boolean } {
  if (on) {
    switch (state) {
      case 'no':
        return { state: 'wantyes', send: true };
      case 'wantno':
        return { state: 'wantno_opp' }; // ask again once the peer has answered our "off"
      case 'offering_off':
        return { state: 'offering_off_opp' };
      default:
        return { state }; // already on, or on its way
    }
  }
  switch (state) {
    case 'yes':
      return { state: 'wantno', send: false };
    case 'wantyes':
      return { state: 'offering_off', send: false }; // at once: see the note at the top
    case 'wantno_opp':
      return { state: 'wantno' };
    case 'offering_off_opp':
      return { state: 'offering_off' };
    default:
      return { state };
  }
}

/**
 * RFC 1143, the peer said WILL/DO (`on`) or WONT/DONT: the new state, and the answer to send
 * (true/false) if any. `accept` says whether we support the option on this side.
 */
function answer(state: Q, on: boolean, accept: boolean): { state: Q; reply?: boolean } {
  if (on) {
    switch (state) {
      case 'no':
        return accept ? { state: 'yes', reply: true } : { state: 'no', reply: false };
      case 'yes':
        return { state: 'yes' };
      case 'wantno':
        return { state: 'no' }; // "DONT answered by WILL": the peer erred; settle on no
      case 'wantno_opp':
        return { state: 'yes' }; // the same error, but we wanted it back on anyway
      case 'wantyes':
        return { state: 'yes' };
      case 'offering_off':
        return { state: 'wantno' }; // it agreed to our on; its answer to our off follows
      case 'offering_off_opp':
        return { state: 'wantno_opp' };
    }
  }
  switch (state) {
    case 'no':
      return { state: 'no' };
    case 'yes':
      return { state: 'no', reply: false };
    case 'wantno':
      return { state: 'no' };
    case 'wantno_opp':
      return { state: 'wantyes', reply: true }; // off as asked; now ask for on again
    case 'wantyes':
    case 'offering_off':
      return { state: 'no' }; // refused (and so our off needs no answer)
    case 'offering_off_opp':
      return { state: 'wantyes', reply: true }; // refused our first on; ask again
  }
}
