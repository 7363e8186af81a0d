// What each statistics card counts, as the engine (backend/probe/stats.go) defines it: shown
// as the card's tooltip, so "jitter" or "loss" never has to be guessed.

export const STAT_DEFINITIONS: Record<string, string> = {
  sent: 'Echo requests sent in this session.',
  received: 'Requests answered by a first reply within the timeout (on time or out of order); late replies, duplicates and ICMP errors are not counted here.',
  loss: 'Lost ÷ (sent − still waiting), over the whole session: a request is lost when no reply came by its timeout or the end of the session, including requests answered only by an ICMP error (as iputils ping counts them).',
  rtt: 'Round-trip times of the received replies, as iputils ping: minimum, mean, maximum and mdev = √(mean of squares − square of mean), the standard deviation.',
  p90: '90th percentile of the received replies’ round-trip times: 9 in 10 replies were at least this fast (exact up to 4096 replies, a uniform sample of them after that).',
  jitter: 'RFC 3550 interarrival jitter: a running average (gain 1/16) of how much the round-trip time changes between consecutive received replies.',
  duplicates: 'Further replies to a request that was already answered.',
  'out-of-order': 'Received replies that arrived after the reply to a later request.',
  late: 'First replies that came after their request’s timeout (the request stays counted as lost).',
  corrupt: 'Received messages whose checksum or contents were wrong.',
  errors: 'ICMP error messages (Destination Unreachable, Time Exceeded, …) that quote one of this session’s requests.',
};
