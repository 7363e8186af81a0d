// First: the modules below (uPlot) format numbers with navigator.language when they load.
import './lib/locale/guard';
import { markStartup } from './lib/firstpaint';
markStartup('script'); // the bundle has loaded and runs: its imports are evaluated
import { flushSync, mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const app = mount(App, { target });
markStartup('mounted');
// The mount effects (onMount) would run in a microtask of this same task; running them here
// changes nothing for the first frame and lets the start-up trace time them.
flushSync();
markStartup('effects');
export default app;
