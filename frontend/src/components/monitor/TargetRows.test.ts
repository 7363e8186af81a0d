import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import TargetRows from './TargetRows.svelte';

describe('TargetRows', () => {
  it('names the unit of every RTT column in its header (the cells are bare numbers)', () => {
    const html = render(TargetRows, { props: { targets: [], version: 0, running: false, selected: null, onselect: () => {} } }).body;
    const headers = [...html.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual(['Target', 'Status', 'Sent', 'Received', 'Loss', 'Last (ms)', 'Median (ms)', 'p90 (ms)', 'Recent RTT']);
  });
});
