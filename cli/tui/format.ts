// What the player reads: each server envelope as zero or more styled lines. Shared by the Ink
// terminal and plain mode, so both show the same words (the server's own `message` sentences).
import type { Envelope, Occupant, RoomView } from '../../shared/protocol.js';
import { authErrorText } from './login.js';

export type LineKind =
  | 'room' // a room's name
  | 'description'
  | 'exits'
  | 'also' // "Also here: ..."
  | 'say'
  | 'emote'
  | 'tell'
  | 'chat'
  | 'system'
  | 'broadcast'
  | 'movement' // arrivals, departures, logins, quits, presence changes
  | 'output' // command_output
  | 'error'
  | 'echo' // what the player typed
  | 'info'; // the client's own notices (connection, help)

export interface TextLine {
  kind: LineKind;
  text: string;
}

export function exitNames(room: RoomView): string[] {
  return Object.keys(room.exits);
}

export function statusLabel(o: Occupant): string | null {
  if (o.status === 'online') return null;
  return o.status === 'linkdead' ? 'link-dead' : o.status;
}

function roomLines(room: RoomView, occupants: Occupant[], selfId: string | null): TextLine[] {
  const lines: TextLine[] = [{ kind: 'room', text: room.name }];
  for (const para of room.description.split('\n')) lines.push({ kind: 'description', text: para });
  const exits = exitNames(room);
  lines.push({ kind: 'exits', text: `Exits: ${exits.length ? exits.join(', ') : 'none'}.` });
  const others = occupants.filter((o) => o.id !== selfId);
  if (others.length > 0) {
    const names = others.map((o) => {
      const label = statusLabel(o);
      return label ? `${o.name} (${label})` : o.name;
    });
    lines.push({ kind: 'also', text: `Also here: ${names.join(', ')}.` });
  }
  return lines;
}

function splitText(kind: LineKind, text: string): TextLine[] {
  return text.split(/\r?\n/).map((t) => ({ kind, text: t }));
}

/** The lines one envelope adds to the terminal. `selfId` is the player's own id, when known. */
export function linesOf(env: Envelope, selfId: string | null): TextLine[] {
  switch (env.event_type) {
    case 'auth_ok':
      return [{ kind: 'system', text: env.data.message ?? `Welcome to Arkham, ${env.data.player.name}.` }];
    case 'auth_error':
      return [{ kind: 'error', text: authErrorText(env.data) }];
    case 'game_state':
      return roomLines(env.data.room, env.data.occupants, env.data.player.id);
    case 'room_update':
      return roomLines(env.data.room, env.data.occupants, env.player_id ?? selfId);
    case 'room_occupants':
    case 'pong':
      return [];
    case 'player_entered':
    case 'player_left':
    case 'player_entered_game':
    case 'player_left_game':
    case 'presence':
      return splitText('movement', env.data.message);
    case 'message':
      return splitText(env.data.channel, env.data.message);
    case 'command_output':
      return splitText('output', env.data.text);
    case 'error':
      return splitText('error', env.data.message);
  }
}
