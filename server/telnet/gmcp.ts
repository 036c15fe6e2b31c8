// GMCP (option 201): structured data for client panels and mappers, in the message names Mudlet
// and IRE games use. It is one more rendering of the envelopes a connection is delivered, made
// once per event (Outbound.memo) and shared by every recipient. From the client we honour
// Core.Hello, Core.Supports.Set/Add/Remove and Core.Ping; anything else, or anything malformed,
// is logged at debug and ignored: no client message can make this throw.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Occupant, RoomView } from '../../shared/protocol.js';
import { SHORT_DIRECTIONS } from '../core/commands/movement.js';
import type { Outbound } from '../core/outbound.js';
import { OPT } from './codes.js';
import type { TelnetExtension } from './connection.js';
import { subnegotiation } from './parser.js';

export interface GmcpMessage {
  /** Package.Message, in the case clients expect (Room.Info, Comm.Channel.Text). */
  name: string;
  data?: unknown;
}

/** One encoded message, ready for any recipient that supports its package. */
interface Frame {
  /** The package prefixes a client may have named in Core.Supports, lower-cased: room, comm.channel, comm. */
  packages: string[];
  bytes: Buffer;
}

export interface GmcpDeps {
  write(bytes: Buffer): void;
  log: Logger;
  /** A room's num, for exits keyed by number (mappers key rooms on Room.Info.num). */
  roomNum(roomId: string): number | undefined;
}

/** Longest client message we look at; the telnet parser already drops longer subnegotiations. */
export const MAX_GMCP_MESSAGE = 8192;
const MAX_SUPPORTED = 64;

const SHORT_OF: Record<string, string> = Object.fromEntries(Object.entries(SHORT_DIRECTIONS).map(([short, long]) => [long, short]));
const NAME = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+$/;
const SPOKEN: ReadonlySet<string> = new Set(['say', 'emote', 'tell', 'chat', 'broadcast']);

const CoreHello = z.object({ client: z.string().max(200).optional(), version: z.string().max(200).optional() });
const SupportsList = z.array(z.string().max(100)).max(MAX_SUPPORTED);

/** IAC SB GMCP "Name json" IAC SE. */
export function encodeGmcp(msg: GmcpMessage): Buffer {
  const body = msg.data === undefined ? msg.name : `${msg.name} ${JSON.stringify(msg.data)}`;
  return subnegotiation(OPT.GMCP, body);
}

/** What GMCP says about one event. Depends only on the event, never on who receives it. */
export function gmcpForEvent(out: Outbound, roomNum: (roomId: string) => number | undefined): GmcpMessage[] {
  const env = out.envelope(0);
  switch (env.event_type) {
    case 'auth_ok': {
      const { name } = env.data.player;
      return [{ name: 'Char.Name', data: { name, fullname: name } }];
    }
    case 'game_state': {
      const { player, room, occupants } = env.data;
      const self = occupants.find((o) => o.id === player.id);
      return [
        {
          name: 'Char.Status',
          data: { name: player.name, fullname: player.name, room: room.name, area: room.zone, status: self?.status ?? 'online' },
        },
        { name: 'Room.Info', data: roomInfo(room, roomNum) },
        { name: 'Room.Players', data: players(occupants) },
      ];
    }
    case 'room_update': {
      const { room, occupants } = env.data;
      return [
        // Char.Status after the first carries only what changed (the IRE convention).
        { name: 'Char.Status', data: { room: room.name, area: room.zone } },
        { name: 'Room.Info', data: roomInfo(room, roomNum) },
        { name: 'Room.Players', data: players(occupants) },
      ];
    }
    case 'player_entered':
    case 'player_entered_game':
      return [{ name: 'Room.AddPlayer', data: { name: env.data.player_name, fullname: env.data.player_name } }];
    case 'player_left':
    case 'player_left_game':
      return [{ name: 'Room.RemovePlayer', data: env.data.player_name }];
    case 'message': {
      const { channel, from, message } = env.data;
      if (!SPOKEN.has(channel)) return [];
      return [{ name: 'Comm.Channel.Text', data: { channel, talker: from?.name ?? 'System', text: message } }];
    }
    default:
      return [];
  }
}

export function roomInfo(room: RoomView, roomNum: (roomId: string) => number | undefined) {
  const exits: Record<string, number> = {};
  for (const [dir, target] of Object.entries(room.exits)) {
    const short = SHORT_OF[dir];
    const num = roomNum(target);
    if (short !== undefined && num !== undefined) exits[short] = num;
  }
  return { num: room.num ?? roomNum(room.id) ?? null, name: room.name, area: room.zone, exits };
}

function players(occupants: Occupant[]) {
  return occupants.map((o) => ({ name: o.name, fullname: o.name }));
}

/** The lower-cased package prefixes of a message name: Comm.Channel.Text -> comm, comm.channel. */
function packagesOf(name: string): string[] {
  const parts = name.toLowerCase().split('.');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('.'));
  return out;
}

export interface GmcpOption extends TelnetExtension {
  readonly client: { client?: string | undefined; version?: string | undefined } | null;
  /** The packages the client named (lower-cased), or null if it has not sent Core.Supports yet. */
  readonly supported: ReadonlySet<string> | null;
  send(msg: GmcpMessage): void;
}

export function gmcpOption(deps: GmcpDeps): GmcpOption {
  let on = false;
  let supported: Set<string> | null = null;
  let client: GmcpOption['client'] = null;

  const allowed = (packages: string[]): boolean => {
    if (!supported) return true;
    if (packages[0] === 'core') return true;
    for (const p of packages) if (supported.has(p)) return true;
    return false;
  };

  const ignore = (why: string, name?: string): void => deps.log.debug({ gmcp: name, why }, 'gmcp message ignored');

  const setSupports = (verb: string, data: unknown, name: string): void => {
    const parsed = SupportsList.safeParse(data);
    if (!parsed.success) return ignore('Core.Supports takes an array of "Package version" strings', name);
    // Add before any Set behaves as Set (the spec): from then on we send only what was named.
    if (verb === 'set' || !supported) supported = new Set();
    for (const entry of parsed.data) {
      const [pkg, version] = entry.trim().split(/\s+/, 2);
      if (!pkg || !NAME.test(`${pkg}.x`)) continue;
      const key = pkg.toLowerCase();
      if (verb === 'remove') supported.delete(key);
      else if (version === undefined || version !== '0') {
        if (supported.size < MAX_SUPPORTED) supported.add(key);
      } else supported.delete(key); // "Char 0" means "not Char"
    }
    deps.log.debug({ supported: [...supported] }, 'gmcp packages');
  };

  const receive = (payload: Buffer): void => {
    if (payload.length > MAX_GMCP_MESSAGE) return ignore(`longer than ${MAX_GMCP_MESSAGE} bytes`);
    const text = payload.toString('utf8');
    const space = text.search(/\s/);
    const name = space < 0 ? text : text.slice(0, space);
    if (!NAME.test(name) || name.length > 100) return ignore('no Package.Message name', name.slice(0, 100));
    const body = space < 0 ? '' : text.slice(space + 1).trim();
    let data: unknown;
    if (body) {
      try {
        data = JSON.parse(body);
      } catch {
        return ignore('invalid JSON', name);
      }
    }
    const key = name.toLowerCase();
    switch (key) {
      case 'core.hello': {
        const hello = CoreHello.safeParse(data);
        if (!hello.success) return ignore('Core.Hello takes {"client", "version"}', name);
        client = hello.data;
        deps.log.info({ client: hello.data.client, version: hello.data.version }, 'gmcp client');
        return;
      }
      case 'core.supports.set':
        return setSupports('set', data, name);
      case 'core.supports.add':
        return setSupports('add', data, name);
      case 'core.supports.remove':
        return setSupports('remove', data, name);
      case 'core.ping':
        return send({ name: 'Core.Ping' });
      case 'core.keepalive':
        return;
      default:
        return ignore('unknown message', name);
    }
  };

  const send = (msg: GmcpMessage): void => {
    if (on && allowed(packagesOf(msg.name))) deps.write(encodeGmcp(msg));
  };

  return {
    code: OPT.GMCP,
    local: true,
    get client() {
      return client;
    },
    get supported() {
      return supported;
    },
    send,
    enabled(side) {
      if (side === 'local') on = true;
    },
    disabled(side) {
      if (side === 'local') on = false;
    },
    subnegotiation(payload) {
      try {
        receive(payload);
      } catch (err) {
        // Nothing above should throw; if it does, the client's message is what we drop.
        deps.log.debug({ err }, 'gmcp message failed');
      }
    },
    deliver(out, _seq) {
      if (!on) return;
      let frames: Frame[];
      try {
        frames = out.memo('gmcp', () =>
          gmcpForEvent(out, deps.roomNum).map((msg) => ({ packages: packagesOf(msg.name), bytes: encodeGmcp(msg) })),
        );
      } catch (err) {
        deps.log.warn({ err, event: out.eventType }, 'gmcp rendering failed');
        return;
      }
      for (const f of frames) if (allowed(f.packages)) deps.write(f.bytes);
    },
  };
}
