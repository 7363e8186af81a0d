import { describe, expect, it } from 'vitest';
import { clocksSentence } from './clocks';
import { packetTitles, replyNote, requestNote } from './notes';
import { ruleParts, ruleSentence } from './rules';
import { samples } from './samples';

describe('rules and clocks in words', () => {
  it('parses what each engine rule compared', () => {
    expect(ruleParts('id+seq+token')).toEqual({ quoted: false, id: true, seq: true, token: true });
    expect(ruleParts('seq+token (identifier rewritten by kernel)')).toEqual({ quoted: false, id: false, seq: true, token: true });
    expect(ruleParts('seq (identifier rewritten, payload too short for token)')).toEqual({ quoted: false, id: false, seq: true, token: false });
    expect(ruleParts('quoted id+seq')).toEqual({ quoted: true, id: true, seq: true, token: false });
    expect(ruleParts('none')).toEqual({ quoted: false, id: false, seq: false, token: false });
  });
  it('says unknown rules as given', () => {
    expect(ruleSentence('id+seq (payload too short for token)')).toMatch(/shorter than 16 bytes/);
    expect(ruleSentence('future rule')).toBe('Matched by rule “future rule”.');
    expect(ruleSentence('')).toBe('');
  });
  it('one sentence per clock pair', () => {
    expect(clocksSentence('kernel-tx/kernel-rx', 0.02)).toMatch(/not in it/);
    expect(clocksSentence('user/kernel-rx', 0.02)).toMatch(/^The RTT runs from a user-space clock .* to the kernel’s receive timestamp: the user-space end adds/);
    expect(clocksSentence('user/user', 0.02)).toMatch(/no kernel timestamps/);
    expect(clocksSentence('windows-api/windows-api', 1)).toMatch(/whole milliseconds/);
    expect(clocksSentence('', null)).toMatch(/^No round-trip time/);
  });
});

describe('packet notes', () => {
  it('says whether the IP header is in the reply bytes', () => {
    expect(replyNote(samples.onTimeLoopback)).toBe('As the kernel delivered it on the raw socket from 127.0.0.1: with the IP header the sender\'s kernel put on.');
    expect(replyNote(samples.onTimeDatagram)).toMatch(/datagram socket .* strips the IP header/);
  });
  it('words an imported row by the capture it came from, not as Echoscope’s', () => {
    const imported = { ...samples.onTimeLoopback, imported: true, captureFile: 'loopback.pcap', engine: 'imported', socket: 'imported' };
    expect(replyNote(imported)).toBe('As captured in loopback.pcap from 127.0.0.1: the IP datagram with the header the sender\'s kernel put on.');
    expect(requestNote(imported)).toBe('As captured in loopback.pcap: the ICMP message of a request another program sent (the capture\'s IP header is left out here).');
    expect(requestNote({ ...samples.onTimeLoopbackV6, imported: true, captureFile: 'x.pcapng' })).not.toMatch(/Echoscope|kernel fills/);
    expect(packetTitles(imported)).toEqual({ request: 'Request as captured', reply: 'Reply as captured' });
    expect(packetTitles(samples.timeExceeded)).toEqual({ request: 'Request sent', reply: 'ICMP error received' });
  });
  it('explains a request written with checksum 0, and the datagram identifier', () => {
    expect(requestNote(samples.onTimeLoopbackV6)).toMatch(/^Written by Echoscope: .*Its checksum was left 0: the kernel fills it in when sending/);
    expect(requestNote(samples.onTimeLoopback)).not.toMatch(/checksum 0/);
    expect(requestNote(samples.onTimeDatagram)).toMatch(/kernel puts its own identifier on the wire/);
  });
});
