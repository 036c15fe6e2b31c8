// The wire contract's schemas (PROTOCOL.md section 4): for every event type and every client
// message, examples that must pass and examples that must fail. A type added to the schema
// without examples here fails the completeness checks.
import { describe, expect, it } from 'vitest';
import { Outbound } from '../../server/core/outbound.js';
import {
  ClientMessage,
  EVENT_TYPES,
  Envelope,
  EventData,
  displayName,
  type EventDataOf,
  type EventType,
} from '../../shared/protocol.js';

const player = { id: 'p_1', name: 'Armitage', role: 'player' as const };
const room = {
  id: 'arkham_downtown_001',
  num: 1,
  name: 'Independence Square',
  description: 'The old heart of Arkham.',
  zone: 'Downtown',
  exits: { north: 'arkham_downtown_002' },
};
const occupants = [{ id: 'p_1', name: 'Armitage', status: 'online' as const }];

const VALID: { [T in EventType]: Array<EventDataOf<T>> } = {
  auth_ok: [
    { player, session_token: 'tok', resume_window_s: 60 },
    { player: { ...player, role: 'admin' }, session_token: 'tok', resume_window_s: 2, message: 'Welcome.' },
  ],
  auth_error: [{ reason: 'bad_password', message: 'Wrong password.' }],
  game_state: [{ player, room, occupants, message: 'Independence Square\n...' }],
  // `num` is optional, and a dead end has no exits.
  room_update: [{ room: { id: 'r', name: 'Cellar', description: 'Dark.', zone: 'Under', exits: {} }, occupants: [], message: 'x' }],
  room_occupants: [{ room_id: room.id, occupants, count: 1 }],
  player_entered: [
    { player_id: 'p_1', player_name: 'Armitage', from: 'south', message: 'Armitage arrives from the south.' },
    { player_id: 'p_1', player_name: 'Armitage', from: null, message: 'Armitage arrives.' },
  ],
  player_left: [{ player_id: 'p_1', player_name: 'Armitage', to: null, message: 'Armitage leaves.' }],
  player_entered_game: [{ player_id: 'p_1', player_name: 'Armitage', message: 'Armitage has entered the game.' }],
  player_left_game: [{ player_id: 'p_1', player_name: 'Armitage', message: 'Armitage has left the game.' }],
  message: [
    { channel: 'say', from: { id: 'p_1', name: 'Armitage' }, text: 'hi', message: 'Armitage says, "hi"' },
    { channel: 'system', from: null, text: 'Goodbye.', message: 'Goodbye.' },
    { channel: 'broadcast', from: null, text: 'Reboot', message: '*** Reboot ***' },
  ],
  presence: [{ player_id: 'p_1', player_name: 'Armitage', status: 'linkdead', message: 'Armitage has lost their link.' }],
  command_output: [{ text: 'Commands:\n  look' }],
  error: [{ code: 'bad_json', message: 'A frame must be one JSON object.' }],
  pong: [{ id: 'abc' }, { id: 7 }, { id: null }],
};

const INVALID: { [T in EventType]: unknown[] } = {
  auth_ok: [{ player, resume_window_s: 60 }, { player: { ...player, role: 'god' }, session_token: 't', resume_window_s: 1 }],
  auth_error: [{ reason: 'x' }, { message: 'no reason' }],
  game_state: [{ player, room, occupants }, { player, room: { ...room, exits: [] }, occupants, message: 'x' }],
  room_update: [{ room, message: 'x' }],
  room_occupants: [{ room_id: room.id, occupants, count: 1.5 }, { occupants, count: 1 }],
  player_entered: [{ player_id: 'p_1', player_name: 'Armitage', message: 'no from' }],
  player_left: [{ player_id: 'p_1', player_name: 'Armitage', to: 3, message: 'x' }],
  player_entered_game: [{ player_id: 'p_1', message: 'x' }],
  player_left_game: [{ player_id: 'p_1', player_name: 'Armitage' }],
  message: [
    { channel: 'shout', from: null, text: 'x', message: 'x' },
    { channel: 'say', from: { id: 'p_1' }, text: 'x', message: 'x' },
    { channel: 'say', text: 'x', message: 'x' },
  ],
  presence: [{ player_id: 'p_1', player_name: 'Armitage', status: 'asleep', message: 'x' }],
  command_output: [{}, { text: 5 }],
  error: [{ code: 'x' }, { code: 1, message: 'x' }],
  pong: [{}, { id: true }],
};

describe('event data schemas', () => {
  it('has examples for every event type', () => {
    expect(Object.keys(VALID).sort()).toEqual([...EVENT_TYPES].sort());
    expect(Object.keys(INVALID).sort()).toEqual([...EVENT_TYPES].sort());
  });

  for (const type of EVENT_TYPES) {
    it(`${type}: accepts the valid examples and rejects the invalid ones`, () => {
      for (const data of VALID[type]) expect(EventData[type].safeParse(data).error).toBeUndefined();
      for (const data of INVALID[type]) expect(EventData[type].safeParse(data).success, JSON.stringify(data)).toBe(false);
    });

    it(`${type}: an envelope built by Outbound.json parses as that event`, () => {
      for (const data of VALID[type]) {
        const out = new Outbound(type, 'arkham_downtown_001', 'p_1', data as never);
        const parsed = Envelope.parse(JSON.parse(out.json(42)));
        expect(parsed.event_type).toBe(type);
        expect(parsed.sequence_number).toBe(42);
        expect(parsed).toEqual(out.envelope(42));
      }
    });
  }
});

describe('envelope', () => {
  const good = {
    event_type: 'pong',
    timestamp: '2026-01-15T10:30:00.000Z',
    sequence_number: 1,
    room_id: null,
    player_id: null,
    data: { id: 'x' },
  };

  it('accepts the six fields of PROTOCOL.md', () => {
    expect(Envelope.safeParse(good).success).toBe(true);
  });

  it.each([
    ['an unknown event_type', { ...good, event_type: 'teleport' }],
    ['a timestamp with an offset instead of Z', { ...good, timestamp: '2026-01-15T10:30:00.000+01:00' }],
    ['a timestamp that is not ISO 8601', { ...good, timestamp: 'yesterday' }],
    ['sequence number 0', { ...good, sequence_number: 0 }],
    ['a fractional sequence number', { ...good, sequence_number: 1.5 }],
    ['a missing room_id', { ...good, room_id: undefined }],
    ['a numeric player_id', { ...good, player_id: 5 }],
    ['data of another event type', { ...good, data: { code: 'x', message: 'y' } }],
  ])('rejects %s', (_what, value) => {
    expect(Envelope.safeParse(value).success).toBe(false);
  });
});

describe('client messages', () => {
  it.each([
    { type: 'register', name: 'armitage', password: 'secret-pass' },
    { type: 'register', name: 'Ab', password: '123456' },
    { type: 'login', name: 'Armitage', password: 'x' },
    { type: 'resume', session_token: 'tok', last_sequence: 0 },
    { type: 'resume', session_token: 'tok', last_sequence: 12345 },
    { type: 'command', text: 'say hello' },
    { type: 'ping' },
    { type: 'ping', id: 'abc' },
    { type: 'ping', id: 3 },
  ])('accepts %j', (msg) => {
    expect(ClientMessage.safeParse(msg).error).toBeUndefined();
  });

  it.each([
    ['no type', { name: 'armitage', password: 'secret-pass' }],
    ['an unknown type', { type: 'dance' }],
    ['register: a name with digits', { type: 'register', name: 'agent007', password: 'secret-pass' }],
    ['register: a one-letter name', { type: 'register', name: 'a', password: 'secret-pass' }],
    ['register: a 21-letter name', { type: 'register', name: 'a'.repeat(21), password: 'secret-pass' }],
    ['register: a short password', { type: 'register', name: 'armitage', password: '12345' }],
    ['login: an empty password', { type: 'login', name: 'armitage', password: '' }],
    ['login: no name', { type: 'login', password: 'secret-pass' }],
    ['resume: a negative sequence', { type: 'resume', session_token: 'tok', last_sequence: -1 }],
    ['resume: a fractional sequence', { type: 'resume', session_token: 'tok', last_sequence: 1.5 }],
    ['resume: an empty token', { type: 'resume', session_token: '', last_sequence: 1 }],
    ['command: empty text', { type: 'command', text: '' }],
    ['command: text over 4096 characters', { type: 'command', text: 'x'.repeat(4097) }],
    ['command: text not a string', { type: 'command', text: ['look'] }],
    ['ping: an object id', { type: 'ping', id: { a: 1 } }],
  ])('rejects %s', (_what, msg) => {
    expect(ClientMessage.safeParse(msg).success).toBe(false);
  });
});

describe('displayName', () => {
  it('capitalises a name the way it is shown', () => {
    expect(displayName('armitage')).toBe('Armitage');
    expect(displayName('WILMARTH')).toBe('Wilmarth');
  });
});
