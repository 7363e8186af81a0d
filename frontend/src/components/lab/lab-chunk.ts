// The Lab as one chunk, loaded the first time its tab opens or a packet is sent to it
// (App.svelte, lib/lazy.svelte.ts): its views and its state.
export { default as LabView } from './LabView.svelte';
export { default as LabSend } from './LabSend.svelte';
export { LabState } from '../../lib/stores/lab.svelte';
