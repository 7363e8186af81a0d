// State of the packet inspector for one row: the codec's reports of the request and of what
// came back (each with its own pointer/focus link between field table and hex dump, the
// Decode panel's DecodeState), the diff, the matching explanation, and the diff entry under
// the pointer, which lights up its bytes in both dumps at once.

import { DecodeState } from '../stores/decode.svelte';
import { fieldsAt } from '../hex/hexdump';
import type { Codec } from '../wire/codec';
import { normalizeDetail, type PacketDetail } from './detail';
import { diffPackets, type DiffEntry, type PacketDiff } from './diff';
import { decodeRow } from './fields';
import { explainMatch, type MatchExplanation } from './matching';

export class InspectorState {
  readonly detail: PacketDetail;
  readonly request = new DecodeState();
  readonly reply = new DecodeState();
  readonly diff: PacketDiff;
  readonly match: MatchExplanation;
  /** The diff entry under the pointer or focus, if any. */
  activeDiff = $state<DiffEntry | undefined>(undefined);
  /** Whose checksums the walkthrough works: what came back, else the request (sends, losses). */
  readonly walked: 'reply' | 'request';
  /** Offset of the checksum step (16-bit word) under the pointer, if any. */
  checksumWord = $state<number | undefined>(undefined);
  /** The two bytes of that word, lit in the walked packet's dump. */
  checksumBytes = $derived(this.checksumWord === undefined ? new Set<number>() : new Set([this.checksumWord, this.checksumWord + 1]));

  constructor(codec: Codec, given: PacketDetail) {
    const detail = normalizeDetail(given);
    this.detail = detail;
    const decoded = decodeRow(codec, detail);
    this.request.report = decoded.request;
    this.request.echoscopePayload = true;
    this.reply.report = decoded.reply;
    this.reply.echoscopePayload = detail.class !== 'foreign';
    const requestFields = decoded.request?.fields ?? [];
    const replyFields = decoded.reply?.fields ?? [];
    this.diff = diffPackets(detail, requestFields, replyFields);
    this.walked = decoded.reply ? 'reply' : 'request';
    this.match = explainMatch(detail, replyFields);
  }

  /** Points both dumps at the fields a diff entry is about (undefined: let go). */
  pointAtDiff(entry: DiffEntry | undefined): void {
    this.activeDiff = entry;
    const requestFields = this.request.report?.fields ?? [];
    const replyFields = this.reply.report?.fields ?? [];
    this.request.activeField = entry === undefined ? undefined : fieldsAt(requestFields, entry.start)[0];
    this.reply.activeField = entry === undefined ? undefined : fieldsAt(replyFields, entry.start + this.diff.replyStart)[0];
  }
}
