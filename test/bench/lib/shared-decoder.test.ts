import { describe, expect, it } from 'vitest';
import type { Packet } from 'socket.io-parser';
import { sharedFrameParser } from './shared-decoder';

function decode(text: string): Packet {
  const decoder = new sharedFrameParser.Decoder();
  const packets: Packet[] = [];
  decoder.on('decoded', (packet: Packet) => packets.push(packet));
  decoder.add(text);
  expect(packets).toHaveLength(1);
  return packets[0]!;
}

const frame = (title: string) => `2["events",[{"type":"plan:updated","payload":{"plan":{"id":"p1","title":"${title}"}},"seq":7,"ts":1}]]`;

describe('the swarm clients’ shared events decoder', () => {
  it('hands every client that got the same events frame the one packet socket.io-parser decoded', () => {
    const first = decode(frame('Ship it'));
    const second = decode(frame('Ship it'));
    expect(second).toBe(first);
    expect(first).toEqual({ type: 2, nsp: '/', data: ['events', [{ type: 'plan:updated', payload: { plan: { id: 'p1', title: 'Ship it' } }, seq: 7, ts: 1 }]] });
  });

  it('decodes a frame that differs in any byte on its own', () => {
    expect(decode(frame('Ship it'))).not.toBe(decode(frame('Ship it!')));
  });

  it('freezes the shared packet all the way down, so a client cannot change what the others hold', () => {
    const packet = decode(frame('Frozen')) as { data: [string, { payload: { plan: { title: string } } }[]] };
    expect(() => {
      packet.data[1][0]!.payload.plan.title = 'changed';
    }).toThrow(TypeError);
  });

  it('decodes every other packet as socket.io-parser does, fresh each time', () => {
    const hello = '2["hello",{"seq":3}]';
    const a = decode(hello);
    expect(a).toEqual({ type: 2, nsp: '/', data: ['hello', { seq: 3 }] });
    expect(decode(hello)).not.toBe(a);
    expect(Object.isFrozen(a)).toBe(false);
  });
});
