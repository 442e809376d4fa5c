import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { useThemeStore } from './stores/theme';
import './styles/theme.css';

const app = createApp(App).use(createPinia());
// The theme goes on <html> before the first render, so the page never flashes the wrong colours.
useThemeStore();
app.mount('#app');
