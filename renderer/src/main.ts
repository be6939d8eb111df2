// Renderer entry: mounts the app. Data arrives only through the bridge (see bridge/index.ts).
import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';

mount(App, { target: document.getElementById('app')! });
