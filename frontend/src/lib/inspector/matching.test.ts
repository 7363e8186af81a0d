import { beforeAll, describe, expect, it } from 'vitest';
import type { Codec } from '../wire/codec';
import type { PacketDetail } from './detail';
import { decodeRow } from './fields';
import { explainMatch, type Comparison, type MatchExplanation } from './matching';
import { realCodec } from './real-codec.testing';
import { samples } from './samples';

let codec: Codec;
beforeAll(async () => {
  codec = await realCodec();
}, 180_000);

function explain(detail: PacketDetail): MatchExplanation {
  return explainMatch(detail, decodeRow(codec, detail).reply?.fields ?? []);
}

function byWhat(list: readonly Comparison[]): Record<string, Comparison> {
  return Object.fromEntries(list.map((c) => [c.what, c]));
}

describe('explainMatch on real captures', () => {
  it('on time: rule, every compared value equal, kernel clocks', () => {
    const m = explain(samples.onTimeLoopback);
    expect(m).toMatchObject({ word: 'on time', tone: 'ok' });
    expect(m.headline).toMatch(/^On time: the first reply to seq 1, 1.04 ms after it left, within its 1000 ms timeout/);
    expect(m.rule).toMatch(/^Matched by id\+seq\+token: identifier, sequence number and the session token/);
    const c = byWhat(m.comparisons);
    const id = samples.onTimeLoopback.id;
    const idText = `0x${id.toString(16).padStart(4, '0')} (${id})`;
    expect(c.identifier).toMatchObject({ request: idText, reply: idText, outcome: 'equal' });
    expect(c.sequence).toMatchObject({ request: '1', reply: '1', outcome: 'equal' });
    expect(c['session token']?.outcome).toBe('equal');
    expect(c['session token']?.request).toMatch(/^[0-9a-f]{16}$/);
    expect(c['Source address']).toMatchObject({ request: '127.0.0.1', reply: '127.0.0.1', outcome: 'equal' });
    expect(m.clocks).toMatch(/kernel’s transmit timestamp to the kernel’s receive timestamp/);
  });

  it('datagram: the identifier is not compared, and the reason is given', () => {
    const c = byWhat(explain(samples.onTimeDatagram).comparisons);
    expect(c.identifier).toMatchObject({ outcome: 'not compared', note: 'the kernel rewrote it (datagram socket)' });
    expect(c.sequence?.outcome).toBe('equal');
    expect(c['session token']?.outcome).toBe('equal');
  });

  it('late: the RTT against the timeout, and that the loss stands', () => {
    const m = explain(samples.late);
    expect(m).toMatchObject({ word: 'late', tone: 'warn' });
    expect(m.headline).toMatch(/^Late: it arrived 150.9 ms after it left, past its 50 ms timeout, so seq 2 had already been declared lost\. The loss stands/);
  });

  it('duplicate and out of order name the rows that answered first', () => {
    expect(explain(samples.duplicate).headline).toMatch(new RegExp(`seq 2 had already been answered \\(row ${samples.duplicate.answeredBefore[0]}\\)`));
    const m = explain(samples.outOfOrder);
    expect(m.word).toBe('out of order');
    expect(m.headline).toMatch(new RegExp(`a later request was answered first \\(row ${samples.outOfOrder.answeredBefore[0]}\\)`));
  });

  it('corrupt and foreign carry the engine note; the differing address is pointed out', () => {
    expect(explain(samples.badChecksum).headline).toBe('Corrupt: tied to seq 2, but damaged: bad checksum 0xb27b, want 0xb27a. Not counted as received.');
    const other = explain(samples.otherAddress);
    expect(other.word).toBe('foreign');
    expect(other.rule).toMatch(/^No rule matched/);
    expect(byWhat(other.comparisons)['Source address']).toMatchObject({ request: '198.18.0.2', reply: '198.18.0.3', outcome: 'differs', note: 'replies must come from the address pinged' });
    const wrong = explain(samples.wrongId);
    expect(wrong.headline).toMatch(/identifier 0xa136 is not ours \(0x2136\)/);
    expect(wrong.comparisons).toEqual([]);
  });

  it('ICMP error: names the error from its own header and compares the quoted values', () => {
    const m = explain(samples.timeExceeded);
    expect(m).toMatchObject({ word: 'ICMP error', tone: 'bad' });
    expect(m.headline).toBe('ICMP error: 198.18.0.3 reports Time Exceeded (Time to Live exceeded in Transit) for seq 1, which it quotes.');
    const c = byWhat(m.comparisons);
    expect(c['Quoted identifier']?.outcome).toBe('equal');
    expect(c['Quoted sequence']).toMatchObject({ request: '1', reply: '1', outcome: 'equal' });
    expect(c['Quoted session token']?.outcome).toBe('equal');
    expect(c['Quoted destination']).toMatchObject({ request: '198.18.0.2', reply: '198.18.0.2', outcome: 'equal' });
    expect(c['Error sent by']).toMatchObject({ reply: '198.18.0.3', outcome: 'not compared' });
  });

  it('sends and losses: no rule, no comparison, and no RTT', () => {
    const send = explain(samples.sendLoopback);
    expect(send).toMatchObject({ word: 'sent', rule: '', comparisons: [] });
    const lost = explain(samples.lost);
    expect(lost).toMatchObject({ word: 'lost', tone: 'bad', rule: '', comparisons: [] });
    expect(lost.headline).toMatch(/^Lost: no answer to seq 2 arrived within its 300 ms timeout/);
    expect(lost.clocks).toMatch(/^No round-trip time/);
  });

  it('a differing sequence shows as differs, with both values', () => {
    const bytes = samples.onTimeLoopback.replyHex.match(/../g) as string[];
    bytes[27] = '09';
    const c = byWhat(explain({ ...samples.onTimeLoopback, replyHex: bytes.join('') }).comparisons);
    expect(c.sequence).toMatchObject({ request: '1', reply: '9', outcome: 'differs' });
  });
});

// An iputils ping on loopback, captured by tshark (backend/history/testdata/loopback.pcap) and
// imported: its 56-byte payload has room for a token but carries none (it is not ours).
// Packet() detail of its first reply, as the service returns it.
const importedIputils: PacketDetail = {"sessionId":"1","row":1,"kind":"reply","class":"on-time","rule":"id+seq (recorded, no session token)","note":"","index":1,"seq":1,"id":32484,"engine":"imported","socket":"imported","target":"127.0.0.1","from":"127.0.0.1","to":"127.0.0.1","ttl":64,"size":64,"requestHex":"0800ca1a7ee40001a6e7086b0000000039da070000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637","replyHex":"45000054944a00004001e85c7f0000017f0000010000d21a7ee40001a6e7086b0000000039da070000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637","replyIncludesIpHeader":true,"family":4,"sentAt":"2026-11-27T02:15:02.514651Z","sentClock":"capture","receivedAt":"2026-11-27T02:15:02.514665Z","receivedClock":"capture","rttMs":0.014,"rttClocks":"capture/capture","identifierRewritten":false,"kernelIdentifier":32484,"timeoutMs":10000,"answeredBefore":[],"answers":[],"requestRow":0,"imported":true,"captureFile":"loopback.pcap"};

describe('explainMatch: why the session token was not compared', () => {
  it('an imported request from another program: not an Echoscope request, not a short payload', () => {
    const m = explain(importedIputils);
    expect(m.rule).toMatch(/^Matched by id\+seq \(recorded, no session token\): identifier and sequence number equal .* not sent by Echoscope/);
    const c = byWhat(m.comparisons);
    expect(c['session token']).toMatchObject({ request: '—', reply: '—', outcome: 'not compared', note: 'not an Echoscope request: no session token (matched by identifier and sequence)' });
    expect(c['session token']?.note).not.toMatch(/too short/);
    expect(c.identifier?.outcome).toBe('equal');
    expect(c.sequence?.outcome).toBe('equal');
    expect(c['Source address']).toMatchObject({ request: '127.0.0.1', reply: '127.0.0.1', outcome: 'equal' });
  });

  it('a payload shorter than 16 bytes really is too short to carry a token', () => {
    // The loopback request and reply above cut to an 8-byte payload (ICMP only), as the
    // engine sends with -s 8: it then matches on identifier and sequence alone.
    const request = importedIputils.requestHex.slice(0, 32);
    const reply = importedIputils.replyHex.slice(40, 72);
    const short: PacketDetail = { ...importedIputils, engine: 'in-process-raw', socket: 'raw', rule: 'id+seq (payload too short for token)', requestHex: request, replyHex: reply, replyIncludesIpHeader: false, size: 16 };
    const m = explain(short);
    expect(m.rule).toMatch(/payload is shorter than 16 bytes/);
    expect(byWhat(m.comparisons)['session token']).toMatchObject({ outcome: 'not compared', note: 'payload too short to carry a token' });
  });

  it('a reply too short to hold the token the request carried says so', () => {
    // The on-time loopback reply cut after its first 4 payload bytes, the rule unchanged.
    const cut = { ...samples.onTimeLoopback, rule: 'id+seq (payload too short for token)', replyHex: samples.onTimeLoopback.replyHex.slice(0, 2 * (20 + 8 + 4)) };
    expect(byWhat(explain(cut).comparisons)['session token']).toMatchObject({ outcome: 'not compared', note: 'the reply is too short to include it' });
  });
});
