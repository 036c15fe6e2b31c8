import { describe, expect, it } from 'vitest';
import { loadWorld, buildWorld, WorldError } from '../../../server/world/load.js';
import { OPPOSITE } from '../../../server/core/text.js';
import type { Direction } from '../../../server/world/schema.js';

describe('the bundled Arkham world', () => {
  const world = loadWorld();

  it('has at least 30 rooms in at least 3 areas, with a start room', () => {
    expect(world.rooms.size).toBeGreaterThanOrEqual(30);
    expect(new Set([...world.rooms.values()].map((r) => r.area)).size).toBeGreaterThanOrEqual(3);
    expect(world.rooms.get(world.start.id)).toBe(world.start);
  });

  it('has only exits that lead to rooms that exist, and every exit has its way back', () => {
    for (const room of world.rooms.values()) {
      for (const [dir, target] of Object.entries(room.exits)) {
        const there = world.rooms.get(target);
        expect(there, `${room.id} ${dir}`).toBeDefined();
        expect(there!.exits[OPPOSITE[dir as Direction]], `${target} back to ${room.id}`).toBe(room.id);
      }
    }
  });

  it('can reach every room from the start', () => {
    const seen = new Set([world.start.id]);
    const queue = [world.start.id];
    while (queue.length) {
      for (const next of Object.values(world.rooms.get(queue.shift()!)!.exits)) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect(seen.size).toBe(world.rooms.size);
  });

  it('has unique room numbers', () => {
    const nums = [...world.rooms.values()].map((r) => r.num);
    expect(new Set(nums).size).toBe(nums.length);
  });
});

describe('a broken world file', () => {
  const room = (id: string, num: number, exits: Record<string, string> = {}) => ({
    id, num, area: 'a', name: 'A room', description: 'Dark.', exits,
  });

  it('names the room and the missing exit target', () => {
    const raw = { name: 'W', start: 'r1', areas: [{ id: 'a', name: 'A' }], rooms: [room('r1', 1, { north: 'nowhere' })] };
    expect(() => buildWorld(raw, 'w.json')).toThrow(WorldError);
    expect(() => buildWorld(raw, 'w.json')).toThrow(/w\.json.*room r1.*exit north leads to nowhere/);
  });

  it('names the room with a schema problem', () => {
    const raw = { name: 'W', start: 'r1', areas: [{ id: 'a', name: 'A' }], rooms: [room('r1', 1), { ...room('r2', 2), name: '' }] };
    expect(() => buildWorld(raw, 'w.json')).toThrow(/w\.json: room r2 \(name\)/);
  });

  it('rejects a duplicate room number and an unknown start', () => {
    const raw = { name: 'W', start: 'zz', areas: [{ id: 'a', name: 'A' }], rooms: [room('r1', 1), room('r2', 1)] };
    expect(() => buildWorld(raw, 'w.json')).toThrow(/num 1 is also room r1.*start room zz does not exist/);
  });

  it('reports a file that is not JSON', () => {
    expect(() => loadWorld('/nonexistent/world.json')).toThrow(/world file \/nonexistent\/world.json: cannot read it/);
  });
});
