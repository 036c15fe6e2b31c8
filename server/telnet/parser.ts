// A byte-level telnet parser (RFC 854/855): splits a stream into data, commands, option
// negotiation and subnegotiations. Any split of the stream across TCP reads parses the same, no
// input can make it throw, and a subnegotiation longer than the limit is dropped, not buffered.
import { DO, DONT, IAC, SB, SE, WILL, WONT, type Verb } from './codes.js';

export interface TelnetSink {
  data(bytes: Buffer): void;
  command(code: number): void;
  negotiate(verb: Verb, option: number): void;
  subnegotiation(option: number, payload: Buffer): void;
  /** A protocol error the peer made (oversized or malformed subnegotiation): logged, not fatal. */
  protocolError?(problem: string): void;
}

const enum State {
  Data,
  Iac,
  Negotiate,
  SbOption,
  SbData,
  SbIac,
}

export const DEFAULT_MAX_SUBNEGOTIATION = 8192;

export class TelnetParser {
  private state = State.Data;
  private verb: Verb = WILL;
  private sbOption = 0;
  private sb: number[] = [];
  private sbOverflow = false;

  constructor(
    private readonly sink: TelnetSink,
    private readonly maxSubnegotiation = DEFAULT_MAX_SUBNEGOTIATION,
  ) {}

  push(chunk: Buffer): void {
    let runStart = -1; // start of a run of plain data bytes within this chunk
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      switch (this.state) {
        case State.Data:
          if (b === IAC) {
            if (runStart >= 0) this.sink.data(chunk.subarray(runStart, i));
            runStart = -1;
            this.state = State.Iac;
          } else if (runStart < 0) runStart = i;
          break;
        case State.Iac:
          this.state = State.Data;
          if (b === IAC) this.sink.data(Buffer.from([IAC]));
          else if (b === WILL || b === WONT || b === DO || b === DONT) {
            this.verb = b;
            this.state = State.Negotiate;
          } else if (b === SB) this.state = State.SbOption;
          else this.sink.command(b);
          break;
        case State.Negotiate:
          this.state = State.Data;
          this.sink.negotiate(this.verb, b);
          break;
        case State.SbOption:
          this.sbOption = b;
          this.sb = [];
          this.sbOverflow = false;
          this.state = State.SbData;
          break;
        case State.SbData:
          if (b === IAC) this.state = State.SbIac;
          else this.sbByte(b);
          break;
        case State.SbIac:
          if (b === IAC) {
            this.sbByte(IAC);
            this.state = State.SbData;
          } else if (b === SE) {
            this.state = State.Data;
            this.endSubnegotiation();
          } else {
            // IAC <cmd> inside a subnegotiation: the peer never closed it. Drop what we had and
            // read this IAC as the start of a command, as most servers do.
            this.sink.protocolError?.(`unterminated subnegotiation of option ${this.sbOption}`);
            this.sb = [];
            this.state = State.Iac;
            i--; // re-read b in the Iac state
          }
          break;
      }
    }
    if (runStart >= 0) this.sink.data(chunk.subarray(runStart));
  }

  private sbByte(b: number): void {
    if (this.sb.length >= this.maxSubnegotiation) this.sbOverflow = true;
    else this.sb.push(b);
  }

  private endSubnegotiation(): void {
    const payload = Buffer.from(this.sb);
    this.sb = [];
    if (this.sbOverflow) {
      this.sink.protocolError?.(`subnegotiation of option ${this.sbOption} over ${this.maxSubnegotiation} bytes, dropped`);
      return;
    }
    this.sink.subnegotiation(this.sbOption, payload);
  }
}

/** Doubles every IAC byte so that text containing 0xFF reaches the client as text. */
export function escapeIAC(bytes: Buffer): Buffer {
  const first = bytes.indexOf(IAC);
  if (first < 0) return bytes;
  const out: number[] = [];
  for (const b of bytes) {
    out.push(b);
    if (b === IAC) out.push(IAC);
  }
  return Buffer.from(out);
}

/** IAC SB option payload IAC SE, with IAC in the payload doubled. */
export function subnegotiation(option: number, payload: Buffer | string): Buffer {
  const body = escapeIAC(typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload);
  return Buffer.concat([Buffer.from([IAC, SB, option]), body, Buffer.from([IAC, SE])]);
}
