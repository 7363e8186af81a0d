// A dev-only page (`npm run dev`, then /src/components/inspector/dev/index.html) showing the
// packet inspector on real captured rows (lib/inspector/samples.ts), before and beside the ping
// view. Vite builds only the app's index.html, so this never ships.
import { mount } from 'svelte';
import '../../../app.css';
import InspectorDev from './InspectorDev.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(InspectorDev, { target });
