import { Writable } from 'node:stream';
import fc from 'fast-check';
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Occupant } from '../../../shared/protocol.js';
import { Outbound } from '../../../server/core/outbound.js';
import { roomView } from '../../../server/core/text.js';
import { IAC, OPT, SB, SE } from '../../../server/telnet/codes.js';
import { encodeGmcp, gmcpOption, MAX_GMCP_MESSAGE, type GmcpOption } from '../../../server/telnet/gmcp.js';
import { TelnetParser } from '../../../server/telnet/parser.js';
import { loadWorld } from '../../../server/world/load.js';

const world = loadWorld();
const roomNum = (id: string) => world.rooms.get(id)?.num;
const view = (id: string) => {
  const room = world.rooms.get(id)!;
  return roomView(room, world.areas.get(room.area)!.name);
};

/** GMCP messages (name, parsed data) found in bytes written to a client. */
function gmcpIn(bytes: Buffer[]): Array<{ name: string; data: unknown }> {
  const found: Array<{ name: string; data: unknown }> = [];
  const parser = new TelnetParser({
    data: () => {},
    command: () => {},
    negotiate: () => {},
    subnegotiation: (option, payload) => {
      if (option !== OPT.GMCP) return;
      const text = payload.toString('utf8');
      const sp = text.indexOf(' ');
      found.push(sp < 0 ? { name: text, data: undefined } : { name: text.slice(0, sp), data: JSON.parse(text.slice(sp + 1)) });
    },
  });
  for (const b of bytes) parser.push(b);
  return found;
}

function recordingLog() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const t of chunk.toString().split('\n')) if (t) lines.push(JSON.parse(t) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

const client = (text: string) => Buffer.from(text, 'utf8');

describe('GMCP', () => {
  let written: Buffer[];
  let gmcp: GmcpOption;
  let logged: ReturnType<typeof recordingLog>;

  beforeEach(() => {
    written = [];
    logged = recordingLog();
    gmcp = gmcpOption({ write: (b) => written.push(b), log: logged.log, roomNum });
  });

  const gameState = (occupants: Occupant[]) =>
    new Outbound('game_state', 'arkham_downtown_001', 'p1', {
      player: { id: 'p1', name: 'Armitage', role: 'player' },
      room: view('arkham_downtown_001'),
      occupants,
      message: 'Independence Square ...',
    });

  it('sends nothing until the client has said DO GMCP', () => {
    gmcp.deliver!(gameState([]), 1);
    expect(written).toEqual([]);
    gmcp.enabled!('local');
    gmcp.deliver!(gameState([]), 2);
    expect(written.length).toBeGreaterThan(0);
    gmcp.disabled!('local');
    written.length = 0;
    gmcp.deliver!(gameState([]), 3);
    expect(written).toEqual([]);
  });

  it('encodes Package.Message and JSON, keeping the case of the name', () => {
    const bytes = encodeGmcp({ name: 'Room.Info', data: { a: 1 } });
    expect(bytes).toEqual(Buffer.concat([Buffer.from([IAC, SB, OPT.GMCP]), Buffer.from('Room.Info {"a":1}'), Buffer.from([IAC, SE])]));
    expect(encodeGmcp({ name: 'Core.Ping' }).subarray(3, -2).toString()).toBe('Core.Ping');
  });

  it('renders login as Char.Name, Char.Status, Room.Info with exit nums, and Room.Players', () => {
    gmcp.enabled!('local');
    gmcp.deliver!(
      new Outbound('auth_ok', null, 'p1', {
        player: { id: 'p1', name: 'Armitage', role: 'player' },
        session_token: 't',
        resume_window_s: 60,
      }),
      1,
    );
    const me: Occupant = { id: 'p1', name: 'Armitage', status: 'online' };
    const other: Occupant = { id: 'p2', name: 'Wilmarth', status: 'away' };
    gmcp.deliver!(gameState([other, me]), 2);
    expect(gmcpIn(written)).toEqual([
      { name: 'Char.Name', data: { name: 'Armitage', fullname: 'Armitage' } },
      {
        name: 'Char.Status',
        data: { name: 'Armitage', fullname: 'Armitage', room: 'Independence Square', area: 'Downtown Arkham', status: 'online' },
      },
      {
        name: 'Room.Info',
        data: { num: 1, name: 'Independence Square', area: 'Downtown Arkham', exits: { n: 2, s: 9, e: 4, w: 6 } },
      },
      {
        name: 'Room.Players',
        data: [
          { name: 'Wilmarth', fullname: 'Wilmarth' },
          { name: 'Armitage', fullname: 'Armitage' },
        ],
      },
    ]);
  });

  it('renders a move (room_update) as Room.Info of the new room and its players', () => {
    gmcp.enabled!('local');
    gmcp.deliver!(
      new Outbound('room_update', 'arkham_downtown_002', 'p1', {
        room: view('arkham_downtown_002'),
        occupants: [{ id: 'p1', name: 'Armitage', status: 'online' }],
        message: '...',
      }),
      3,
    );
    const msgs = gmcpIn(written);
    expect(msgs.find((m) => m.name === 'Room.Info')?.data).toMatchObject({ num: 2, name: 'Garrison Street', exits: { s: 1, e: 3, w: 5 } });
    expect(msgs.find((m) => m.name === 'Room.Players')?.data).toEqual([{ name: 'Armitage', fullname: 'Armitage' }]);
    expect(msgs.find((m) => m.name === 'Char.Status')?.data).toEqual({ room: 'Garrison Street', area: 'Downtown Arkham' });
  });

  it('renders arrivals and departures as Room.AddPlayer and Room.RemovePlayer', () => {
    gmcp.enabled!('local');
    const ref = { player_id: 'p2', player_name: 'Wilmarth' };
    gmcp.deliver!(new Outbound('player_entered', 'r', 'p2', { ...ref, from: 'south', message: 'Wilmarth arrives from the south.' }), 1);
    gmcp.deliver!(new Outbound('player_entered_game', 'r', 'p2', { ...ref, message: 'Wilmarth has entered the game.' }), 2);
    gmcp.deliver!(new Outbound('player_left', 'r', 'p2', { ...ref, to: 'north', message: 'Wilmarth leaves north.' }), 3);
    gmcp.deliver!(new Outbound('player_left_game', 'r', 'p2', { ...ref, message: 'Wilmarth has left the game.' }), 4);
    expect(gmcpIn(written)).toEqual([
      { name: 'Room.AddPlayer', data: { name: 'Wilmarth', fullname: 'Wilmarth' } },
      { name: 'Room.AddPlayer', data: { name: 'Wilmarth', fullname: 'Wilmarth' } },
      { name: 'Room.RemovePlayer', data: 'Wilmarth' },
      { name: 'Room.RemovePlayer', data: 'Wilmarth' },
    ]);
  });

  it('renders speech as Comm.Channel.Text, but not system messages', () => {
    gmcp.enabled!('local');
    const from = { id: 'p2', name: 'Wilmarth' };
    for (const channel of ['say', 'emote', 'tell', 'chat'] as const) {
      gmcp.deliver!(new Outbound('message', 'r', 'p2', { channel, from, text: 'hi', message: `line ${channel}` }), 1);
    }
    gmcp.deliver!(new Outbound('message', null, null, { channel: 'broadcast', from: null, text: 'reboot', message: '*** reboot ***' }), 2);
    gmcp.deliver!(new Outbound('message', null, null, { channel: 'system', from: null, text: 'x', message: 'x' }), 3);
    gmcp.deliver!(new Outbound('command_output', null, 'p1', { text: 'You see nothing.' }), 4);
    expect(gmcpIn(written)).toEqual([
      { name: 'Comm.Channel.Text', data: { channel: 'say', talker: 'Wilmarth', text: 'line say' } },
      { name: 'Comm.Channel.Text', data: { channel: 'emote', talker: 'Wilmarth', text: 'line emote' } },
      { name: 'Comm.Channel.Text', data: { channel: 'tell', talker: 'Wilmarth', text: 'line tell' } },
      { name: 'Comm.Channel.Text', data: { channel: 'chat', talker: 'Wilmarth', text: 'line chat' } },
      { name: 'Comm.Channel.Text', data: { channel: 'broadcast', talker: 'System', text: '*** reboot ***' } },
    ]);
  });

  it('serialises an event once for all its recipients', () => {
    const other: Buffer[] = [];
    const gmcp2 = gmcpOption({ write: (b) => other.push(b), log: logged.log, roomNum });
    gmcp.enabled!('local');
    gmcp2.enabled!('local');
    const out = new Outbound('message', 'r', 'p2', { channel: 'say', from: { id: 'p2', name: 'W' }, text: 'hi', message: 'W says, "hi"' });
    gmcp.deliver!(out, 1);
    gmcp2.deliver!(out, 7);
    expect(written).toHaveLength(1);
    expect(other).toHaveLength(1);
    expect(other[0]).toBe(written[0]); // the very same Buffer
  });

  describe('Core.Supports', () => {
    const deliverAll = () => {
      gmcp.deliver!(gameState([{ id: 'p1', name: 'Armitage', status: 'online' }]), 1);
      gmcp.deliver!(new Outbound('message', 'r', 'p2', { channel: 'say', from: { id: 'p2', name: 'W' }, text: 'hi', message: 'x' }), 2);
      const names = gmcpIn(written).map((m) => m.name);
      written.length = 0;
      return names;
    };

    beforeEach(() => gmcp.enabled!('local'));

    it('sends every package before the client has said what it supports', () => {
      expect(gmcp.supported).toBeNull();
      expect(deliverAll()).toEqual(['Char.Status', 'Room.Info', 'Room.Players', 'Comm.Channel.Text']);
    });

    it('Set restricts to the packages named, case-insensitively; Add and Remove change the set', () => {
      gmcp.subnegotiation!(client('Core.Supports.Set ["room 1"]'));
      expect(deliverAll()).toEqual(['Room.Info', 'Room.Players']);
      gmcp.subnegotiation!(client('Core.Supports.Add ["Comm.Channel 1", "Char 1"]'));
      expect(deliverAll()).toEqual(['Char.Status', 'Room.Info', 'Room.Players', 'Comm.Channel.Text']);
      gmcp.subnegotiation!(client('Core.Supports.Remove ["Room", "Char"]'));
      expect(deliverAll()).toEqual(['Comm.Channel.Text']);
      gmcp.subnegotiation!(client('Core.Supports.Set ["Char 1"]'));
      expect(deliverAll()).toEqual(['Char.Status']);
      gmcp.subnegotiation!(client('Core.Supports.Set []'));
      expect(deliverAll()).toEqual([]);
    });

    it('a package named as a whole (Comm) covers its sub-packages (Comm.Channel)', () => {
      gmcp.subnegotiation!(client('Core.Supports.Add ["Comm 1"]'));
      expect(deliverAll()).toEqual(['Comm.Channel.Text']);
    });

    it('a malformed Supports message leaves the set as it was', () => {
      gmcp.subnegotiation!(client('Core.Supports.Set ["Room 1"]'));
      gmcp.subnegotiation!(client('Core.Supports.Set {"Char": 1}'));
      gmcp.subnegotiation!(client('Core.Supports.Add [1, 2]'));
      expect(deliverAll()).toEqual(['Room.Info', 'Room.Players']);
    });
  });

  it('logs Core.Hello and answers Core.Ping', () => {
    gmcp.enabled!('local');
    gmcp.subnegotiation!(client('Core.Hello {"client":"Mudlet","version":"4.17.2"}'));
    expect(gmcp.client).toEqual({ client: 'Mudlet', version: '4.17.2' });
    expect(logged.lines.find((l) => l.msg === 'gmcp client')).toMatchObject({ client: 'Mudlet', version: '4.17.2' });
    gmcp.subnegotiation!(client('Core.Ping'));
    expect(gmcpIn(written)).toEqual([{ name: 'Core.Ping', data: undefined }]);
  });

  it('ignores, at debug, messages with no package, bad JSON, a huge body, or an unknown package', () => {
    gmcp.enabled!('local');
    const bad = [
      client('Hello'),
      client(''),
      client(' {"client":"x"}'),
      client('Core.Hello {"client":'),
      client('Core.Hello {"client": 42}'),
      client('Core.Hello'),
      client('Core.Supports.Set'),
      client('Char.Login {"name":"x","password":"y"}'),
      client('Core..Hello {}'),
      client(`Core.Hello {"client":"${'x'.repeat(MAX_GMCP_MESSAGE)}"}`),
      Buffer.from([0xff, 0xfe, 0x00, 0x2e]),
    ];
    for (const payload of bad) expect(() => gmcp.subnegotiation!(payload)).not.toThrow();
    expect(written).toEqual([]);
    expect(gmcp.client).toBeNull();
    const ignored = logged.lines.filter((l) => l.msg === 'gmcp message ignored');
    expect(ignored).toHaveLength(bad.length);
    expect(ignored.every((l) => l.level === 20)).toBe(true); // debug
  });

  it('never throws, whatever bytes the client sends', () => {
    gmcp.enabled!('local');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(`Core.Supports.Set ${s}`)),
          fc.json().map((j) => new TextEncoder().encode(`Core.Hello ${j}`)),
        ),
        (bytes) => {
          gmcp.subnegotiation!(Buffer.from(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });
});
