// Everything the packet inspector shows about one row of a ping session, as the Go side
// (backend/service PingService.Packet) hands it over. The type is defined once, in the api
// module that mirrors the Go structs (the contract between the ping view and the inspector);
// the inspector's code imports it from here.

import type { PacketDetail } from '../api/types';

export type { PacketClass, PacketDetail, RowKind as PacketKind } from '../api/types';

/**
 * The detail as the inspector relies on it: Go marshals an empty slice as null, and a family
 * it did not know as 0 (read as IPv4, the only family whose receive carries an IP header).
 */
export function normalizeDetail(detail: PacketDetail): PacketDetail {
  return {
    ...detail,
    answeredBefore: detail.answeredBefore ?? [],
    answers: detail.answers ?? [],
    requestRow: detail.requestRow ?? -1,
    imported: detail.imported ?? false,
    captureFile: detail.captureFile ?? '',
    family: detail.family === 6 ? 6 : 4,
    requestHex: detail.requestHex ?? '',
    replyHex: detail.replyHex ?? '',
  };
}
