// An independent telnet peer: the npm telnetlib package (not used by our server) as the client, so
// our telnet layer is not only tested against itself. Only what telnetlib does correctly is relied
// on (TOOLCHAIN.md section 5): RFC 1143 negotiation, NAWS below 255 columns, CRLF text, flushing
// at IAC EOR. It is closed through its raw socket (its own destroy() leaves the TCP socket open).
import { StringDecoder } from 'node:string_decoder';
import { createConnection, defineOption, TelnetOption, type TelnetSocket } from 'telnetlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexesOf, removeDir, startServer, TELNET, telnetLogin, type ServerProcess } from './harness.js';

const { SGA, EOR, NAWS, IAC, EOR_CMD, GA, TTYPE } = TELNET;

// telnetlib knows no EOR; with the base handler it can agree to it, and its reader already
// treats IAC EOR as the end of a prompt.
defineOption('EOR', EOR);

/** TTYPE (RFC 1091), which telnetlib lacks: answers every SEND with one terminal name. */
class TerminalType extends TelnetOption {
  override subnegotiation(buffer: Buffer): void {
    if (buffer[0] === 1) this.socket.writer.writeSubnegotiation(TTYPE, Buffer.from('\x00xterm-256color', 'latin1'));
  }
}
defineOption('TTYPE', TTYPE, TerminalType);

/** telnetlib as a player would use it: text in, lines out, wait for what the screen shows. */
class Peer {
  text = '';
  raw: Buffer[] = [];
  closed = false;
  private readIndex = 0;
  private wake: (() => void) | null = null;

  constructor(readonly sock: TelnetSocket) {
    const decoder = new StringDecoder('utf8');
    sock.on('data', (chunk) => {
      this.text += decoder.write(chunk).replace(/\r\n/g, '\n');
      this.wake?.();
    });
    sock.socket.on('data', (bytes: Buffer) => this.raw.push(bytes));
    sock.socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    sock.on('error', () => {});
  }

  send(line: string): void {
    this.sock.write(line + '\r\n');
  }

  async waitFor(re: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.text.slice(this.readIndex));
      if (m) {
        this.readIndex += m.index + m[0].length;
        return m;
      }
      if (this.closed) throw new Error(`closed while waiting for ${re}; unread:\n${this.text.slice(this.readIndex)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${re}; unread:\n${this.text.slice(this.readIndex)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  close(): void {
    this.sock.socket.destroy();
  }
}

let server: ServerProcess;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

describe('telnet: telnetlib as the client', () => {
  it('negotiates NAWS, SGA and EOR, logs in and plays with a raw client', async () => {
    const sock = createConnection({ host: '127.0.0.1', port: server.telnetPort, localOptions: [NAWS], remoteOptions: [SGA, EOR] });
    const peer = new Peer(sock);
    try {
      // Our DO NAWS and its WILL NAWS cross; once NAWS is on, it reports a 40-column window.
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('NAWS was never enabled')), 10_000);
        sock.on('enable', (code, at) => {
          if (code === NAWS && at === 'LOCAL') {
            clearTimeout(t);
            resolve();
          }
        });
      });
      sock.getOption(NAWS).sendResize(40, 24);

      await peer.waitFor(/name/i);
      peer.send('Randolph');
      await peer.waitFor(/\(y\/n\)/);
      peer.send('y');
      await peer.waitFor(/password/i);
      peer.send('silver-key');
      await peer.waitFor(/password/i);
      peer.send('silver-key');
      const view = await peer.waitFor(/Welcome to Arkham, Randolph\.\n([\s\S]*?\nExits:[^\n]*\n)> /);

      expect(sock.getOption(SGA).him).toBe('YES');
      expect(sock.getOption(EOR).him).toBe('YES');
      expect(sock.getOption(NAWS).us).toBe('YES');
      const lines = view[1]!.split('\n');
      expect(lines[0]).toBe('Independence Square');
      expect(lines.length).toBeGreaterThan(10); // the description, wrapped
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(40);
      // No negotiation byte was shown as text.
      expect(peer.text).not.toMatch(/[\xff\ufffd]/);
      // It refused TTYPE (telnetlib answers WONT to what it does not perform): no colour.
      expect(peer.text).not.toContain('\x1b');

      const other = await telnetLogin(server.telnetPort, 'Kuranes');
      await peer.waitFor(/Kuranes has entered the game\./);
      peer.send('say the silver key turns');
      await other.waitFor('Randolph says, "the silver key turns"');
      await peer.waitFor(/You say, "the silver key turns"/);
      other.send('say Celephais awaits');
      await peer.waitFor(/Kuranes says, "Celephais awaits"/);
      peer.send('look');
      await peer.waitFor(/Also here:\s+Kuranes\.\n> /);
      peer.send('north');
      await other.waitFor('Randolph leaves north.');
      await peer.waitFor(/Garrison Street\n/);
      peer.send('s');
      await other.waitFor('Randolph arrives from the north.');
      await peer.waitFor(/Also here:\s+Kuranes\.\n> /);

      // Prompts were marked with IAC EOR (agreed), never IAC GA, once negotiation was done.
      const raw = Buffer.concat(peer.raw);
      const gameStart = raw.indexOf('Welcome to Arkham');
      expect(indexesOf(raw.subarray(gameStart), [IAC, EOR_CMD]).length).toBeGreaterThanOrEqual(3);
      expect(indexesOf(raw.subarray(gameStart), [IAC, GA])).toEqual([]);

      peer.send('quit');
      await other.waitFor('Randolph has left the game.');
      await peer.waitFor(/Goodbye/);
      other.close();
    } finally {
      peer.close();
    }
  });

  it('answers TTYPE xterm-256color and is sent colour', async () => {
    const sock = createConnection({ host: '127.0.0.1', port: server.telnetPort, localOptions: [TTYPE] });
    const peer = new Peer(sock);
    try {
      await peer.waitFor(/name/i);
      peer.send('Pickering');
      await peer.waitFor(/\(y\/n\)/);
      peer.send('y');
      await peer.waitFor(/password/i);
      peer.send('silver-key');
      await peer.waitFor(/password/i);
      peer.send('silver-key');
      await peer.waitFor(/Exits:[^\n]*\n(?:\x1b\[[0-9;]*m)*(?:Also here:[^\n]*\n)?> /);
      expect(sock.getOption(TTYPE).us).toBe('YES');
      expect(peer.text).toMatch(/\x1b\[[0-9;]*m[^\n]*Independence Square/);
    } finally {
      peer.close();
    }
  });
});
