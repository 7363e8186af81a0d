// First: the modules below (uPlot) format numbers with navigator.language when they load.
import './lib/locale/guard';
import { markStartup } from './lib/firstpaint';
markStartup('script'); // the bundle has loaded and runs: its imports are evaluated
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const app = mount(App, { target });
markStartup('mounted');
export default app;
