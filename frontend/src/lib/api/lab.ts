// The Packet Lab's one backend call: send a crafted echo request (service/lab_send.go).

import * as PingService from '../../../wailsjs/go/service/PingService';
import { call } from './backend';

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
}

/** Sends one crafted echo request; rejects with the refusal in words. */
export function sendCrafted(request: LabSendRequest): Promise<LabSendResult> {
  return call(() => PingService.SendCrafted(request) as Promise<LabSendResult>);
}
