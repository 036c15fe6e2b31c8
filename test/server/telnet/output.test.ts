// The telnet output queue on a real socket pair: a turn's bytes leave in one write, the owner's
// last word (the prompt) first in line before it; a turn's absurd output cuts the client loose.
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../server/logger.js';
import { TelnetOutput } from '../../../server/telnet/output.js';

const sockets: Socket[] = [];
const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) s.close();
});

/** Our end and the client's end of one loopback connection. */
async function pair(): Promise<[Socket, Socket]> {
  const server = createServer();
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect(port, '127.0.0.1');
  const [ours] = await accepted;
  sockets.push(ours, client);
  return [ours, client];
}

describe('TelnetOutput', () => {
  it("writes one turn's bytes in one write, after the owner's last word for the turn", async () => {
    const [ours, client] = await pair();
    const writes: number[] = [];
    const write = ours.write.bind(ours);
    ours.write = ((chunk: Buffer) => {
      writes.push(chunk.length);
      return write(chunk);
    }) as typeof ours.write;
    const out: TelnetOutput = new TelnetOutput(ours, silentLogger(), '127.0.0.1', 1024, { beforeWrite: () => out.rawWrite(Buffer.from('> ')) });
    out.rawWrite(Buffer.from('one\r\n'));
    out.rawWrite(Buffer.from('two\r\n'));
    const [got] = (await once(client, 'data')) as [Buffer];
    expect(got.toString()).toBe('one\r\ntwo\r\n> ');
    expect(writes).toEqual([got.length]);
    expect(out.stopped).toBe(false);
  });

  it('cuts loose a connection whose one turn of output passes eight times the bound', async () => {
    const [ours, client] = await pair();
    const out = new TelnetOutput(ours, silentLogger(), '127.0.0.1', 10, { beforeWrite: () => {} });
    out.rawWrite(Buffer.alloc(81, 0x41));
    expect(out.stopped).toBe(true);
    expect(ours.destroyed).toBe(true);
    await once(client, 'close');
  });
});
