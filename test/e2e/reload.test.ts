// `mythos admin reload` end to end (issue 17, the world file): the sysop edits the world file and
// reloads, and nobody is disconnected: a telnet player with MCCP2 and GMCP on, a second telnet
// player and a WebSocket player play on, each told once before and once after; a broken file is
// refused with its error and the old world plays on.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_WORLD } from '../../server/world/load.js';
import { admin, runAdmin, target } from './admin-run.js';
import { removeDir, startServer, telnetLogin, tempDataDir, type ServerProcess } from './harness.js';
import { OPT, OptionClient } from './option-client.js';
import { wsEnter } from './ws-client.js';

interface WorldJson {
  start: string;
  rooms: Array<{ id: string; name: string; description: string; exits: Record<string, string> }>;
}

const original = JSON.parse(readFileSync(BUNDLED_WORLD, 'utf8')) as WorldJson;
const START = original.start;
const dir = tempDataDir();
const worldFile = join(dir, 'arkham.json');
const writeWorld = (w: WorldJson | string) => writeFileSync(worldFile, typeof w === 'string' ? w : JSON.stringify(w));

let server: ServerProcess;
beforeAll(async () => {
  writeWorld(original);
  server = await startServer({ args: ['--world', worldFile] });
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
  removeDir(dir);
});

describe('reload', () => {
  it('puts an edited world in place with everyone connected; a broken one is refused', { timeout: 120_000 }, async () => {
    const z = await OptionClient.connect(server.telnetPort, [OPT.MCCP2, OPT.GMCP]);
    await z.until(() => z.compressing, 'MCCP2 to start');
    await z.login('derby');
    await z.waitGmcp('Room.Info');
    const plain = await telnetLogin(server.telnetPort, 'gilman');
    const ws = await wsEnter(server.wsUrl, 'wilmarth');
    await z.waitFor('Wilmarth has entered the game.');

    // The sysop rewrites the start room's description and removes the room north of it.
    const north = original.rooms.find((r) => r.id === START)!.exits.north!;
    plain.send('north');
    await plain.waitFor(/Exits:/);
    const edited: WorldJson = structuredClone(original);
    edited.rooms = edited.rooms.filter((r) => r.id !== north);
    for (const r of edited.rooms) {
      for (const [dir, to] of Object.entries(r.exits)) if (to === north) delete r.exits[dir];
      if (r.id === START) r.description = 'The square lies under a strange violet light tonight.';
    }
    writeWorld(edited);
    const reloaded = await admin(server, 'reload');
    expect(reloaded).toMatch(/^Reloaded Arkham: 56 rooms in [\d.]+ ms; moved to the start room: Gilman\./);

    // Everyone hears one line before and one after; nobody was disconnected.
    await z.waitFor('The air of Arkham shimmers');
    await z.waitFor('and Arkham settles again');
    await plain.waitFor('The air of Arkham shimmers');
    // Gilman stood in the room that is gone: moved to the start room, and told so, in between.
    await plain.waitFor(/no longer there\. You find yourself in Independence Square/);
    await plain.waitFor('and Arkham settles again');
    await ws.client.waitForMessage('The air of Arkham shimmers');
    await ws.client.waitForMessage('and Arkham settles again');
    expect([z.closed, plain.closed, ws.client.closed]).toEqual([false, false, false]);

    // The new world, through the same connections: MCCP2 still inflates, GMCP still comes.
    z.send('look');
    await z.waitFor('strange violet light');
    z.send('north');
    await z.waitFor('You cannot go north from here.');
    z.send('east');
    await z.waitGmcp('Room.Info');
    await plain.waitFor('Derby leaves east.');
    plain.send('say still here');
    ws.client.command('say me too');
    await ws.client.waitForMessage('Gilman says, "still here"');
    expect(z.compressing).toBe(true);
    expect(ws.client.problems).toEqual([]); // the sequence has no gap

    // A broken file: refused with its error (file, room, field), the old world plays on.
    const broken: WorldJson = structuredClone(edited);
    broken.rooms[0]!.exits.up = 'no_such_room';
    writeWorld(broken);
    const refused = await runAdmin(['reload', ...target(server)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/world file .*arkham\.json: room \S+: exit up leads to no_such_room, which does not exist/);
    writeWorld('{ not json');
    const unreadable = await runAdmin(['reload', ...target(server)]);
    expect(unreadable.stderr).toMatch(/not valid JSON/);
    plain.send('look');
    await plain.waitFor('strange violet light');
    const status = await admin(server, 'status');
    expect(status).toMatch(/last reload .* by api@127\.0\.0\.1: world file .*not valid JSON/);

    z.socket.destroy();
    plain.close();
    ws.client.close();
  });

  it('mythos world check says what the reload would say', { timeout: 60_000 }, async () => {
    const { spawnSync } = await import('node:child_process');
    const { MYTHOS } = await import('./harness.js');
    writeWorld(original);
    const ok = spawnSync(process.execPath, [MYTHOS, 'world', 'check', worldFile], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Arkham, 57 rooms in 5 areas, start arkham_downtown_001: OK/);
    writeWorld('[]');
    const bad = spawnSync(process.execPath, [MYTHOS, 'world', 'check', worldFile], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^mythos world check: world file /);
  });
});
