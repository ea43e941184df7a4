// Base styles first: page styles imported by the components below must come later to override them.
import './theme.css';
import './app/shell.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, requestSession } from './app/App';
import { prefetchQueue } from './queue/prefetch';
import { PAGE } from './queue/useQueue';

const root = document.getElementById('root');
if (root) {
  // Both requests leave before React's first render: the queue is usually what the technician waits for.
  const firstSession = requestSession();
  prefetchQueue(window.location, PAGE);
  createRoot(root).render(
    <StrictMode>
      <App firstSession={firstSession} />
    </StrictMode>,
  );
}
