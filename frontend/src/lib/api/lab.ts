// The Packet Lab's one backend call: send a crafted echo request (service/lab_send.go).

import * as PingService from '../../../wailsjs/go/service/PingService';
import { call } from './backend';
import type { PacketDetail } from './types';

/** service.LabSendRequest */
export interface LabSendRequest {
  target: string;
  family: 4 | 6;
  /** The ICMP message (no IP header). */
  hex: string;
  timeoutMs: number;
}

/** service.LabSendResult */
export interface LabSendResult {
  target: string;
  addr: string;
  sent: string;
  /** The matching echo reply's ICMP message; '' on a timeout. */
  reply: string;
  rttMillis: number;
  timedOut: boolean;
  /** The kernel replaced the checksum before sending (ICMPv6 raw sockets). */
  kernelChecksum: boolean;
  engine: string;
  /** The send as the packet inspector shows it: the reply tied to the request, or the request lost at the timeout. */
  detail: PacketDetail;
}

/** Sends one crafted echo request; rejects with the refusal in words. */
export function sendCrafted(request: LabSendRequest): Promise<LabSendResult> {
  return call(() => PingService.SendCrafted(request) as Promise<LabSendResult>);
}
