import { describe, expect, it } from 'vitest';
import { splitError } from './sentence';

describe('splitError', () => {
  it('shows the first line as the sentence and keeps the rest as detail', () => {
    const msg =
      'Could not find the host nosuch.invalid: the name does not exist (DNS).\n' +
      'DNS lookup failed: cannot resolve target: nosuch.invalid: lookup nosuch.invalid on 127.0.0.1:53: no such host';
    expect(splitError(msg)).toEqual({
      sentence: 'Could not find the host nosuch.invalid: the name does not exist (DNS).',
      detail: 'DNS lookup failed: cannot resolve target: nosuch.invalid: lookup nosuch.invalid on 127.0.0.1:53: no such host',
    });
  });

  it('treats a one-line message as all sentence', () => {
    expect(splitError('not a host name or IP address: "exa mple" contains \' \'')).toEqual({
      sentence: 'not a host name or IP address: "exa mple" contains \' \'',
      detail: '',
    });
  });

  it('ignores surrounding blank lines', () => {
    expect(splitError('\nOne.\n\nTwo\n')).toEqual({ sentence: 'One.', detail: 'Two' });
  });
});
