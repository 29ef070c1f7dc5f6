import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router-dom';
import { App } from './app';
import { initI18n } from './i18n';
import './styles.css';

initI18n();

const queryClient = new QueryClient({
  defaultOptions: {
    // Live KPIs arrive over /api/live; polling on focus would only duplicate them.
    queries: { refetchOnWindowFocus: false, staleTime: 10_000, retry: 1 },
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
}
