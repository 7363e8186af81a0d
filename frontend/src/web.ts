// The static web lab (make web): the Lab and Decode tabs alone, with no Go backend.
import { mount } from 'svelte';
import './app.css';
import WebApp from './WebApp.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(WebApp, { target });
