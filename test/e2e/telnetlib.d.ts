// The part of telnetlib 1.0.2 (CommonJS, no published types) that the e2e tests use as an
// independent telnet peer. Typed from its source (src/telnetlib.js, src/TelnetSocket/*,
// src/Options/*) as narrowly as the tests need; see TOOLCHAIN.md section 5 for its bugs.
declare module 'telnetlib' {
  import type { EventEmitter } from 'node:events';
  import type { Socket, TcpNetConnectOpts } from 'node:net';

  type Where = 'LOCAL' | 'REMOTE';
  type OptionState = 'NO' | 'YES' | 'WANTNO' | 'WANTYES';

  /** One option's RFC 1143 state (`us`: we perform it; `him`: the peer does). */
  export class TelnetOption extends EventEmitter {
    constructor(socket: TelnetSocket, code: number);
    readonly code: number;
    readonly socket: TelnetSocket;
    us: OptionState;
    him: OptionState;
    enabled(at: Where): void;
    disabled(at: Where): void;
    subnegotiation(buffer: Buffer): void;
  }

  export interface NawsOption extends TelnetOption {
    /** Sends IAC SB NAWS (signed int16, so keep it under 32768) if NAWS is enabled locally. */
    sendResize(width?: number, height?: number): void;
  }

  interface TelnetWriter {
    writeCommand(...bytes: number[]): void;
    writeSubnegotiation(option: number, data: Buffer): void;
  }

  /** Not exported by the package; what createConnection returns. */
  export interface TelnetSocket extends EventEmitter {
    /** The raw TCP socket. Close with `socket.destroy()`: TelnetSocket.destroy leaves it open. */
    readonly socket: Socket;
    readonly writer: TelnetWriter;
    columns: number;
    rows: number;
    write(data: string | Buffer): boolean;
    getOption(code: 31): NawsOption;
    getOption(code: number): TelnetOption;
    enableLocal(code: number, timeoutMs?: number): Promise<void>;
    enableRemote(code: number, timeoutMs?: number): Promise<void>;
    on(event: 'data', listener: (chunk: Buffer) => void): this;
    on(event: 'enable' | 'disable', listener: (code: number, at: Where) => void): this;
    on(event: 'negotiated' | 'end' | 'close', listener: () => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
  }

  export interface ConnectionOptions extends TcpNetConnectOpts {
    /** Options we perform (we say WILL at once, and accept DO). */
    localOptions?: number[];
    /** Options we want the peer to perform (we say DO at once, and accept WILL). */
    remoteOptions?: number[];
    receiveBufferMax?: number;
  }

  export function createConnection(options: ConnectionOptions, onConnect?: () => void): TelnetSocket;
  /** A process-wide registry: gives `code` a name and a handler class. */
  export function defineOption(name: string, code: number, handler?: typeof TelnetOption): void;
  export const options: Record<string, number>;
}
