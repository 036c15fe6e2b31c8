// The in-game @commands on a real Game: admins have them, everyone else cannot tell they exist.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onShutdown, setRole } from '../../../server/core/moderation.js';
import { makeGame, recordingLogger, waitFor, type TestGame, type TestPlayer } from '../helpers.js';

const ADMIN_WORDS = ['@who', '@kick', '@ban', '@unban', '@broadcast', '@goto', '@reload', '@shutdown'];

let t: TestGame;
let logLines: Array<Record<string, unknown>>;
beforeEach(() => {
  const { log, lines } = recordingLogger();
  logLines = lines;
  t = makeGame({ log });
});
afterEach(() => t.cleanup());

function lastOutput(p: TestPlayer): string | undefined {
  return p.conn.outputs().at(-1);
}

function admin(name: string): TestPlayer {
  const p = t.join(name);
  setRole(t.game, name, 'admin', 'test');
  p.conn.clear();
  return p;
}

describe('admin commands for a plain player', () => {
  it('get exactly the unknown-command answer, and do nothing', () => {
    const p = t.join('wilmarth');
    const other = t.join('armitage');
    p.type('@frobnicate');
    expect(lastOutput(p)).toBe('Huh? "@frobnicate" is not a command here. Type "help" for the list.');
    for (const word of ADMIN_WORDS) {
      p.type(`${word} armitage`);
      expect(lastOutput(p)).toBe(`Huh? "${word}" is not a command here. Type "help" for the list.`);
    }
    expect(other.conn.closed).toBe(false);
    expect(t.game.closing).toBe(false);
    expect(logLines.some((l) => typeof l.action === 'string')).toBe(false);
  });

  it('are not listed in help, and help about one says what it says about any unknown word', () => {
    const p = t.join('wilmarth');
    p.type('help');
    expect(lastOutput(p)).not.toContain('@');
    p.type('help @kick');
    expect(lastOutput(p)).toBe('There is no command "@kick". Type "help" for the list.');
  });
});

describe('admin commands for an admin', () => {
  it('are listed in help', () => {
    const a = admin('armitage');
    a.type('help');
    for (const word of ADMIN_WORDS) expect(lastOutput(a)).toContain(word);
  });

  it('@who shows everyone with room, door and address', () => {
    const a = admin('armitage');
    t.join('wilmarth', { door: 'ws' });
    a.type('@who');
    const out = lastOutput(a)!;
    expect(out).toMatch(/^2 online:/);
    expect(out).toMatch(/DOOR/);
    expect(out).toMatch(new RegExp(`Wilmarth\\s+${t.world.start.name.slice(0, 20)}.*\\bws\\s+127\\.0\\.0\\.1`));
    expect(out).toMatch(/Armitage\s.*\btelnet\s+127\.0\.0\.1/);
  });

  it('@kick disconnects a player, saved; not yourself; an unknown name is said so', () => {
    const a = admin('armitage');
    const w = t.join('wilmarth');
    a.type('@kick wilmarth too many questions');
    expect(lastOutput(a)).toBe('Kicked Wilmarth.');
    expect(w.conn.closeNotice).toBe('You have been removed from the game by an administrator: too many questions');
    expect(t.game.presence.findByName('wilmarth')).toBeUndefined();
    expect(logLines.find((l) => l.action === 'kick')).toMatchObject({ admin: 'Armitage', target: 'Wilmarth', reason: 'too many questions' });
    a.type('@kick wilmarth');
    expect(lastOutput(a)).toBe('no such player: Wilmarth');
    a.type('@kick armitage');
    expect(lastOutput(a)).toMatch(/cannot kick yourself/);
    a.type('@kick');
    expect(lastOutput(a)).toMatch(/^Kick whom\?/);
    expect(a.conn.closed).toBe(false);
  });

  it('@ban and @unban', async () => {
    const a = admin('armitage');
    const w = t.join('wilmarth');
    a.type('@ban wilmarth');
    expect(lastOutput(a)).toBe('Banned Wilmarth and removed them from the game.');
    expect(w.conn.closeNotice).toBe('You have been banned from Arkham.');
    expect(t.store.findAccount('wilmarth')?.bannedAt).not.toBeNull();
    a.type('@unban wilmarth');
    expect(lastOutput(a)).toBe('Unbanned Wilmarth.');
    expect(t.store.findAccount('wilmarth')?.bannedAt).toBeNull();
    a.type('@ban armitage');
    expect(lastOutput(a)).toBe('You cannot ban yourself.');
    a.type('@ban nobody');
    expect(lastOutput(a)).toBe('no such player: Nobody');
  });

  it('@broadcast reaches everyone, marked as from the admin', () => {
    const a = admin('armitage');
    const w = t.join('wilmarth');
    a.type('@broadcast Meeting at the library.');
    for (const p of [a, w]) {
      expect(p.conn.ofType('message').at(-1)?.data).toMatchObject({
        channel: 'broadcast',
        from: { id: a.account.id, name: 'Armitage' },
        message: '*** Meeting at the library. ***',
      });
    }
  });

  it('@goto moves the admin to a room by id, and refuses an unknown id', () => {
    const a = admin('armitage');
    const w = t.join('wilmarth');
    const target = [...t.world.rooms.keys()].find((id) => id !== t.world.start.id)!;
    a.type(`@goto ${target}`);
    expect(a.room()).toBe(target);
    expect(t.store.getCharacter(a.account.id)?.roomId).toBe(target);
    expect(a.conn.ofType('room_update').at(-1)?.data.room.id).toBe(target);
    expect(w.conn.texts()).toContain('Armitage vanishes.');
    expect(t.game.presence.inconsistencies()).toEqual([]);
    a.type('@goto nowhere_at_all');
    expect(lastOutput(a)).toBe('There is no room with the id "nowhere_at_all".');
    expect(a.room()).toBe(target);
  });

  it('@shutdown counts down and stops; a bad number is refused', async () => {
    const a = admin('armitage');
    let stopped = false;
    onShutdown(t.game, () => {
      stopped = true;
    });
    a.type('@shutdown soon');
    expect(lastOutput(a)).toBe('Seconds must be a whole number from 0 to 3600.');
    expect(t.game.closing).toBe(false);
    a.type('@shutdown 1');
    expect(lastOutput(a)).toBe('Shutting down in 1 second.');
    expect(t.game.closing).toBe(true);
    await waitFor(() => stopped, 'the stop');
    expect(a.conn.ofType('message').map((m) => m.data.text)).toEqual([
      'The server will shut down in 1 second. Your character will be saved.',
      'The server is shutting down now.',
    ]);
  });

  it('go away with the role: a demoted admin gets "Huh?" again', () => {
    const a = admin('armitage');
    setRole(t.game, 'armitage', 'player', 'test');
    expect(a.conn.texts()).toContain('You are no longer an administrator.');
    a.type('@who');
    expect(lastOutput(a)).toBe('Huh? "@who" is not a command here. Type "help" for the list.');
  });
});

describe('@reload', () => {
  it('puts the world file in place again, everyone told once before and once after', () => {
    const sysop = admin('armitage');
    const other = t.join('wilmarth');
    other.conn.clear();
    sysop.type('@reload');
    expect(lastOutput(sysop)).toMatch(/^Reloaded Arkham: 57 rooms in [\d.]+ ms\.$/);
    const heard = other.conn.ofType('message').map((e) => e.data.text);
    expect(heard).toEqual([
      'The air of Arkham shimmers, and for a moment the streets seem to shift...',
      '...and Arkham settles again, a little changed.',
    ]);
    expect(other.conn.closed).toBe(false);
    expect(t.game.lastReload).toMatchObject({ ok: true, by: 'Armitage' });
    expect(logLines.some((l) => l.action === 'reload')).toBe(true);
  });
});

