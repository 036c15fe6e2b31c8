// The optional telnet options of PROTOCOL.md section 3 (MCCP2, GMCP, MSSP, CHARSET), added to a
// connection before it starts, so that they are offered with the rest. startTelnetDoor's `setup`
// hook calls this for every connection.
import type { Logger } from 'pino';
import type { Game } from '../core/game.js';
import { charsetOption } from './charset.js';
import { DEFAULT_LIMITS, type TelnetConnection } from './connection.js';
import { gmcpOption } from './gmcp.js';
import { mccpOption } from './mccp.js';
import { msspOption } from './mssp.js';

export interface ExtensionContext {
  game: Game;
  log: Logger;
  /** The port the telnet door listens on, for MSSP (known only once it listens). */
  telnetPort(): number;
  /** Bytes MCCP2 may hold for a client before giving up on it; default the output limit. */
  maxPendingBytes?: number;
  contact?: string;
  website?: string;
}

export function addTelnetExtensions(conn: TelnetConnection, ctx: ExtensionContext): void {
  const { game } = ctx;
  const log = ctx.log.child({ addr: conn.remoteAddress });
  // Always through the connection's current writer: MCCP2 swaps it while compressing.
  const write = (bytes: Buffer) => conn.output.rawWrite(bytes);

  // Offered in this order; MCCP2 first, as servers customarily do.
  conn.extend(
    mccpOption(conn.output, {
      log,
      maxPendingBytes: ctx.maxPendingBytes ?? DEFAULT_LIMITS.maxOutputBytes,
      abort: () => conn.close(),
    }),
  );
  conn.extend(gmcpOption({ write, log, roomNum: (id) => game.world.rooms.get(id)?.num }));
  conn.extend(
    msspOption({
      write,
      writeText: (text) => conn.writeText(text),
      log,
      status: () => ({
        players: playersOnline(game),
        startedAt: Math.floor(game.startedAt / 1000),
        port: ctx.telnetPort(),
        areas: game.world.areas.size,
        rooms: game.world.rooms.size,
        ...(ctx.contact ? { contact: ctx.contact } : {}),
        ...(ctx.website ? { website: ctx.website } : {}),
      }),
    }),
  );
  conn.extend(charsetOption({ write, log, agreed: () => conn.utf8Agreed() }));
}

/** Players in the game now, not counting link-dead bodies waiting for their player. */
function playersOnline(game: Game): number {
  let n = 0;
  for (const p of game.presence.all()) if (p.status !== 'linkdead') n++;
  return n;
}
