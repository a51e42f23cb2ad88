import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { SessionProvider } from './api/session.js';
import { registerServiceWorker } from './pwa/service-worker.js';
import { AppRoutes } from './routes.js';
import { applyTheme } from './shell/theme.js';
import './styles.css';

const stored = localStorage.getItem('tocsin.theme');
applyTheme(stored === 'light' || stored === 'dark' ? stored : 'system');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);

registerServiceWorker();
