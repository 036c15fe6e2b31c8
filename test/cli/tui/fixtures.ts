// Recorded-style envelopes for the TUI tests, each checked against the Envelope schema (a fixture
// that drifted from the contract fails here, not in a confusing assertion later), and a stand-in
// connection that lets a test play the server's part to the controller.
import { Envelope, type EventDataOf, type EventType, type RoomView } from '../../../shared/protocol.js';
import type { ClientListener, ConnectionStatus, Credentials } from '../../../cli/tui/client.js';
import type { GameConnection } from '../../../cli/tui/controller.js';

let seq = 0;

export function envelope<T extends EventType>(
  type: T,
  data: EventDataOf<T>,
  ids: { room_id?: string | null; player_id?: string | null } = {},
): Envelope {
  return Envelope.parse({
    event_type: type,
    timestamp: '2026-01-15T10:30:00.000Z',
    sequence_number: ++seq,
    room_id: ids.room_id ?? null,
    player_id: ids.player_id ?? null,
    data,
  });
}

export const SQUARE: RoomView = {
  id: 'arkham_downtown_001',
  num: 1,
  name: 'Independence Square',
  description: 'The old heart of Arkham spreads around you.',
  zone: 'Downtown Arkham',
  exits: { north: 'arkham_downtown_002', south: 'arkham_downtown_009' },
};

export const STREET: RoomView = {
  id: 'arkham_downtown_002',
  num: 2,
  name: 'Garrison Street',
  description: 'A narrow street running north toward the river.',
  zone: 'Downtown Arkham',
  exits: { south: 'arkham_downtown_001' },
};

export const ME = { id: 'p_me', name: 'Armitage', role: 'player' as const };

export function authOk(): Envelope {
  return envelope('auth_ok', { player: ME, session_token: 'tok', resume_window_s: 60, message: 'Welcome to Arkham, Armitage.' }, { player_id: ME.id });
}

export function gameState(others: Array<{ id: string; name: string; status?: 'online' | 'away' | 'busy' | 'linkdead' }> = []): Envelope {
  const occupants = [{ id: ME.id, name: ME.name, status: 'online' as const }, ...others.map((o) => ({ ...o, status: o.status ?? ('online' as const) }))];
  return envelope(
    'game_state',
    { player: ME, room: SQUARE, occupants, message: 'Independence Square' },
    { room_id: SQUARE.id, player_id: ME.id },
  );
}

export function entered(id: string, name: string, room = SQUARE.id): Envelope {
  return envelope(
    'player_entered',
    { player_id: id, player_name: name, from: 'south', message: `${name} arrives from the south.` },
    { room_id: room, player_id: id },
  );
}

export function left(id: string, name: string, room = SQUARE.id): Envelope {
  return envelope('player_left', { player_id: id, player_name: name, to: 'north', message: `${name} leaves north.` }, { room_id: room, player_id: id });
}

export function said(id: string, name: string, text: string): Envelope {
  return envelope(
    'message',
    { channel: 'say', from: { id, name }, text, message: `${name} says, "${text}"` },
    { room_id: SQUARE.id, player_id: id },
  );
}

/** Plays the server's part for the controller: records what it was asked, emits what a test says. */
export class FakeConnection implements GameConnection {
  readonly commands: string[] = [];
  readonly auths: Credentials[] = [];
  quitCalls = 0;
  reconnects = 0;
  closed = false;
  started = false;
  connected = true;
  private readonly listeners = new Set<ClientListener>();

  start(): void {
    this.started = true;
  }
  authenticate(creds: Credentials): void {
    this.auths.push(creds);
  }
  command(text: string): boolean {
    if (!this.connected) return false;
    this.commands.push(text);
    return true;
  }
  quit(): Promise<void> {
    this.quitCalls++;
    if (this.connected) this.commands.push('quit');
    return Promise.resolve();
  }
  reconnect(): void {
    this.reconnects++;
  }
  close(): void {
    this.closed = true;
  }
  on(listener: ClientListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(env: Envelope, authCode: string | null = null): void {
    for (const l of this.listeners) l.envelope?.(env, authCode);
  }
  status(status: ConnectionStatus): void {
    for (const l of this.listeners) l.status?.(status);
  }
  rtt(ms: number): void {
    for (const l of this.listeners) l.rtt?.(ms);
  }
}
