// The Packet Lab's one backend call: send a crafted echo request (service/lab_send.go).

import * as PingService from '../../../wailsjs/go/service/PingService';
import { call } from './backend';
import type { service } from '../../../wailsjs/go/models';
import type { Refine } from './refine';
import type { PacketDetail } from './types';

/** A crafted echo request to send once (Go service.LabSendRequest); hex is the ICMP message, no IP header. */
export type LabSendRequest = Refine<service.LabSendRequest, { family: 4 | 6 }>;

/** What came of it (Go service.LabSendResult): reply is '' on a timeout; kernelChecksum says
 *  the kernel replaced the checksum (ICMPv6 raw sockets); detail is the send as the packet
 *  inspector shows it. */
export type LabSendResult = Refine<service.LabSendResult, { detail: PacketDetail }>;

/** Sends one crafted echo request; rejects with the refusal in words. */
export function sendCrafted(request: LabSendRequest): Promise<LabSendResult> {
  return call(() => PingService.SendCrafted(request));
}
