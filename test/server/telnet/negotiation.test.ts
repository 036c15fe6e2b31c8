import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DO, DONT, OPT, WILL, WONT, type Verb } from '../../../server/telnet/codes.js';
import { Negotiator, type Side } from '../../../server/telnet/negotiation.js';

const NAMES: Record<number, string> = { [WILL]: 'WILL', [WONT]: 'WONT', [DO]: 'DO', [DONT]: 'DONT' };

/** A Negotiator whose sent verbs and option callbacks are recorded as readable strings. */
function setup() {
  const sent: string[] = [];
  const calls: string[] = [];
  const subs: Buffer[] = [];
  const n = new Negotiator((verb, option) => sent.push(`${NAMES[verb]} ${option}`));
  const record = (code: number) => ({
    enabled: (side: Side) => calls.push(`enabled ${code} ${side}`),
    disabled: (side: Side) => calls.push(`disabled ${code} ${side}`),
  });
  n.register({ code: OPT.ECHO, local: true, ...record(OPT.ECHO) });
  n.register({ code: OPT.SGA, local: true, remote: true, ...record(OPT.SGA) });
  n.register({ code: OPT.TTYPE, remote: true, ...record(OPT.TTYPE), subnegotiation: (p) => subs.push(p) });
  n.register({ code: OPT.NAWS, remote: true, ...record(OPT.NAWS), subnegotiation: (p) => subs.push(p) });
  return { n, sent, calls, subs };
}

describe('Negotiator (RFC 1143)', () => {
  it('accepts an option it supports: WILL -> DO, DO -> WILL, with enabled callbacks', () => {
    const { n, sent, calls } = setup();
    n.receive(WILL, OPT.TTYPE);
    n.receive(DO, OPT.SGA);
    expect(sent).toEqual([`DO ${OPT.TTYPE}`, `WILL ${OPT.SGA}`]);
    expect(calls).toEqual([`enabled ${OPT.TTYPE} remote`, `enabled ${OPT.SGA} local`]);
    expect(n.isRemote(OPT.TTYPE)).toBe(true);
    expect(n.isLocal(OPT.SGA)).toBe(true);
  });

  it('refuses unknown options politely: WILL -> DONT, DO -> WONT', () => {
    const { n, sent, calls } = setup();
    n.receive(WILL, 99);
    n.receive(DO, 99);
    expect(sent).toEqual(['DONT 99', 'WONT 99']);
    expect(calls).toEqual([]);
    expect(n.isRemote(99)).toBe(false);
    expect(n.isLocal(99)).toBe(false);
  });

  it('refuses the side of an option it does not support (DO TTYPE: we do not send a terminal type)', () => {
    const { n, sent } = setup();
    n.receive(DO, OPT.TTYPE);
    n.receive(WILL, OPT.ECHO); // the client echoing for us makes no sense either
    expect(sent).toEqual([`WONT ${OPT.TTYPE}`, `DONT ${OPT.ECHO}`]);
  });

  it('never answers a repeated WILL/DO for an option already on', () => {
    const { n, sent, calls } = setup();
    for (let i = 0; i < 5; i++) n.receive(WILL, OPT.NAWS);
    for (let i = 0; i < 5; i++) n.receive(DO, OPT.SGA);
    expect(sent).toEqual([`DO ${OPT.NAWS}`, `WILL ${OPT.SGA}`]);
    expect(calls).toEqual([`enabled ${OPT.NAWS} remote`, `enabled ${OPT.SGA} local`]);
  });

  it('ignores WONT/DONT for an option already off', () => {
    const { n, sent, calls } = setup();
    n.receive(WONT, OPT.NAWS);
    n.receive(DONT, OPT.ECHO);
    n.receive(WONT, 99);
    expect(sent).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('setLocal: WILL once, enabled on DO without an answer, WONT and disabled on the way off', () => {
    const { n, sent, calls } = setup();
    n.setLocal(OPT.ECHO, true);
    n.setLocal(OPT.ECHO, true); // asked already: nothing more
    expect(sent).toEqual([`WILL ${OPT.ECHO}`]);
    expect(n.isLocal(OPT.ECHO)).toBe(false); // not until the client agrees
    n.receive(DO, OPT.ECHO);
    expect(sent).toEqual([`WILL ${OPT.ECHO}`]); // an answer is not answered
    expect(n.isLocal(OPT.ECHO)).toBe(true);
    n.setLocal(OPT.ECHO, false);
    expect(sent).toEqual([`WILL ${OPT.ECHO}`, `WONT ${OPT.ECHO}`]);
    expect(n.isLocal(OPT.ECHO)).toBe(false);
    n.receive(DONT, OPT.ECHO);
    expect(sent).toHaveLength(2);
    expect(calls).toEqual([`enabled ${OPT.ECHO} local`, `disabled ${OPT.ECHO} local`]);
  });

  it('setRemote: DO once; a refusal (WONT) is not answered and enables nothing', () => {
    const { n, sent, calls } = setup();
    n.setRemote(OPT.NAWS, true);
    n.setRemote(OPT.NAWS, true);
    n.receive(WONT, OPT.NAWS);
    expect(sent).toEqual([`DO ${OPT.NAWS}`]);
    expect(calls).toEqual([]);
    expect(n.isRemote(OPT.NAWS)).toBe(false);
  });

  it('setRemote accepted, then the client turns it off: DONT in answer, disabled', () => {
    const { n, sent, calls } = setup();
    n.setRemote(OPT.NAWS, true);
    n.receive(WILL, OPT.NAWS);
    n.receive(WONT, OPT.NAWS);
    expect(sent).toEqual([`DO ${OPT.NAWS}`, `DONT ${OPT.NAWS}`]);
    expect(calls).toEqual([`enabled ${OPT.NAWS} remote`, `disabled ${OPT.NAWS} remote`]);
  });

  it('a client that never answers still hears WONT after WILL (ECHO around a password)', () => {
    const { n, sent, calls } = setup();
    n.setLocal(OPT.ECHO, true);
    n.setLocal(OPT.ECHO, false);
    expect(sent).toEqual([`WILL ${OPT.ECHO}`, `WONT ${OPT.ECHO}`]);
    expect(calls).toEqual([]);
    // If it answers late after all, as an RFC 1143 client does (DO, then DONT), nothing more is sent.
    n.receive(DO, OPT.ECHO);
    n.receive(DONT, OPT.ECHO);
    expect(sent).toHaveLength(2);
    expect(n.isLocal(OPT.ECHO)).toBe(false);
  });

  it('after WILL then WONT, a refusal (one DONT) settles it with nothing more sent', () => {
    const { n, sent } = setup();
    n.setLocal(OPT.ECHO, true);
    n.setLocal(OPT.ECHO, false);
    n.receive(DONT, OPT.ECHO);
    n.setLocal(OPT.ECHO, true); // a fresh request, not confused with a late answer
    expect(sent).toEqual([`WILL ${OPT.ECHO}`, `WONT ${OPT.ECHO}`, `WILL ${OPT.ECHO}`]);
    n.receive(DO, OPT.ECHO);
    expect(n.isLocal(OPT.ECHO)).toBe(true);
  });

  it('queues a change of mind back to on until the client has answered (no WILL/WONT storm)', () => {
    const { n, sent } = setup();
    n.setLocal(OPT.ECHO, true);
    n.setLocal(OPT.ECHO, false);
    n.setLocal(OPT.ECHO, true);
    n.setLocal(OPT.ECHO, false);
    n.setLocal(OPT.ECHO, true);
    expect(sent).toEqual([`WILL ${OPT.ECHO}`, `WONT ${OPT.ECHO}`]);
    n.receive(DO, OPT.ECHO); // its answer to WILL; the answer to WONT is still to come
    expect(sent).toHaveLength(2);
    n.receive(DONT, OPT.ECHO); // now ask again, as queued
    expect(sent).toEqual([`WILL ${OPT.ECHO}`, `WONT ${OPT.ECHO}`, `WILL ${OPT.ECHO}`]);
    n.receive(DO, OPT.ECHO);
    expect(n.isLocal(OPT.ECHO)).toBe(true);
    expect(sent).toHaveLength(3);

    n.setLocal(OPT.ECHO, false);
    n.setLocal(OPT.ECHO, true); // while the WONT is in flight: queued by the RFC
    expect(sent).toEqual([`WILL ${OPT.ECHO}`, `WONT ${OPT.ECHO}`, `WILL ${OPT.ECHO}`, `WONT ${OPT.ECHO}`]);
    n.receive(DONT, OPT.ECHO);
    expect(sent.at(-1)).toBe(`WILL ${OPT.ECHO}`);
    n.receive(DO, OPT.ECHO);
    expect(n.isLocal(OPT.ECHO)).toBe(true);
    expect(sent).toHaveLength(5);
  });

  it('two negotiators wired back to back never loop and always agree (property)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('ask' as const), who: fc.constantFrom(0, 1), local: fc.boolean(), on: fc.boolean() }),
      fc.record({ kind: fc.constant('deliver' as const), to: fc.constantFrom(0, 1) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.boolean(), fc.boolean(), (steps, accept0, accept1) => {
        const queues: Array<Array<[Verb, number]>> = [[], []];
        const callbacks: string[][] = [[], []];
        const peers = [0, 1].map((i) => {
          const n = new Negotiator((verb, option) => queues[1 - i]!.push([verb, option]));
          const accept = i === 0 ? accept0 : accept1;
          n.register({
            code: 7,
            local: accept,
            remote: accept,
            enabled: (side) => callbacks[i]!.push(`on ${side}`),
            disabled: (side) => callbacks[i]!.push(`off ${side}`),
          });
          return n;
        });
        const deliver = (to: number) => {
          const msg = queues[to]!.shift();
          if (msg) peers[to]!.receive(msg[0], msg[1]);
        };
        let messages = 0;
        for (const s of steps) {
          if (s.kind === 'ask') {
            if (s.local) peers[s.who]!.setLocal(7, s.on);
            else peers[s.who]!.setRemote(7, s.on);
          } else deliver(s.to);
        }
        // Drain: a loop would never end, so bound it well above anything legitimate.
        while (queues[0]!.length || queues[1]!.length) {
          if (++messages > 4 * steps.length + 10) throw new Error('negotiation loop');
          deliver(0);
          deliver(1);
        }
        expect(peers[0]!.isLocal(7)).toBe(peers[1]!.isRemote(7));
        expect(peers[0]!.isRemote(7)).toBe(peers[1]!.isLocal(7));
        // enabled/disabled alternate per side, starting with enabled.
        for (const list of callbacks) {
          for (const side of ['local', 'remote']) {
            const seq = list.filter((c) => c.endsWith(side)).map((c) => c.split(' ')[0]);
            seq.forEach((c, i) => expect(c).toBe(i % 2 === 0 ? 'on' : 'off'));
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('ends in the state last asked for when only one side changes its mind (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.boolean(), fc.constant('deliver' as const)), { maxLength: 40 }), (steps) => {
        const toClient: Array<[Verb, number]> = [];
        const toServer: Array<[Verb, number]> = [];
        const server = new Negotiator((v, o) => toClient.push([v, o]));
        const client = new Negotiator((v, o) => toServer.push([v, o]));
        server.register({ code: OPT.ECHO, local: true });
        client.register({ code: OPT.ECHO, remote: true });
        let want = false;
        for (const s of steps) {
          if (s === 'deliver') {
            const a = toClient.shift();
            if (a) client.receive(a[0], a[1]);
            const b = toServer.shift();
            if (b) server.receive(b[0], b[1]);
          } else {
            want = s;
            server.setLocal(OPT.ECHO, s);
          }
        }
        let n = 0;
        while (toClient.length || toServer.length) {
          if (++n > 200) throw new Error('negotiation loop');
          const a = toClient.shift();
          if (a) client.receive(a[0], a[1]);
          const b = toServer.shift();
          if (b) server.receive(b[0], b[1]);
        }
        expect(server.isLocal(OPT.ECHO)).toBe(want);
        expect(client.isRemote(OPT.ECHO)).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores a subnegotiation for an option that is not enabled', () => {
    const { n, subs } = setup();
    expect(n.subnegotiation(OPT.NAWS, Buffer.from([0, 80, 0, 24]))).toBe(false);
    expect(subs).toEqual([]);
    n.receive(WILL, OPT.NAWS);
    expect(n.subnegotiation(OPT.NAWS, Buffer.from([0, 80, 0, 24]))).toBe(true);
    expect(subs).toEqual([Buffer.from([0, 80, 0, 24])]);
    n.receive(WONT, OPT.NAWS);
    expect(n.subnegotiation(OPT.NAWS, Buffer.from([0, 90, 0, 24]))).toBe(false);
    expect(n.subnegotiation(99, Buffer.from('x'))).toBe(false); // unknown option
    expect(subs).toHaveLength(1);
  });
});
