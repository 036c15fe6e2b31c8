import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startServer, telnetLogin, type ServerProcess } from './harness.js';

describe('telnet: two players see each other', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });

  it('shows arrivals, departures and speech to the other player', async () => {
    const a = await telnetLogin(server.telnetPort, 'armitage');
    const b = await telnetLogin(server.telnetPort, 'wilmarth');
    await a.waitFor('Wilmarth has entered the game.');
    b.send('look');
    await b.waitFor(/Also here: Armitage/);
    b.send('north');
    await a.waitFor('Wilmarth leaves north.');
    b.send('south');
    await a.waitFor('Wilmarth arrives from the north.');
    a.send('say hello there');
    await b.waitFor('Armitage says, "hello there"');
    await a.waitFor('You say, "hello there"');
    b.send('quit');
    await a.waitFor('Wilmarth has left the game.');
    await b.waitClosed();
    expect(b.text).toMatch(/Goodbye/);
    a.close();
  });
});
