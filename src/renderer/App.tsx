import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { Route as Screen, Router, Switch, useLocation } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { Route } from '../shared/ipc/contract';
import { AnnouncerProvider } from './components/Announcer';
import { Nav } from './components/Nav';
import { useBridgeEvent } from './lib/hooks';
import { useIpcEventSync } from './lib/ipc-cache';
import { createQueryClient, useIpcQuery } from './lib/ipc-query';
import { pathOf } from './lib/routes';
import { AboutScreen } from './screens/AboutScreen';
import { AnnouncementsScreen } from './screens/AnnouncementsScreen';
import { ArticleScreen } from './screens/articles/ArticleScreen';
import { ArticlesScreen } from './screens/articles/ArticlesScreen';
import { CheckScreen } from './screens/CheckScreen';
import { CommandConsent } from './screens/commands/CommandConsent';
import { RemoteBanner } from './screens/remote/RemoteBanner';
import { RemoteConsent } from './screens/remote/RemoteConsent';
import { useRemoteSession } from './screens/remote/use-remote-session';
import { GetHelpScreen } from './screens/help/GetHelpScreen';
import { HomeScreen } from './screens/HomeScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { ScreenShare } from './screens/share/ScreenShare';
import { TicketScreen } from './screens/tickets/TicketScreen';
import { TicketsScreen } from './screens/tickets/TicketsScreen';

/** The screens by path (lib/routes.ts maps them to the contract's `Route` values); anything else is Home. */
function Screens(): ReactElement {
  return (
    <Switch>
      <Screen path="/check" component={CheckScreen} />
      <Screen path="/help" component={GetHelpScreen} />
      <Screen path="/tickets" component={TicketsScreen} />
      <Screen path="/tickets/:ticketId">{({ ticketId }) => <TicketScreen ticketId={Number(ticketId)} />}</Screen>
      <Screen path="/articles" component={ArticlesScreen} />
      <Screen path="/articles/:articleId">{({ articleId }) => <ArticleScreen articleId={Number(articleId)} />}</Screen>
      <Screen path="/announcements" component={AnnouncementsScreen} />
      <Screen path="/settings" component={SettingsScreen} />
      <Screen path="/about" component={AboutScreen} />
      <Screen component={HomeScreen} />
    </Switch>
  );
}

function Shell(): ReactElement {
  const [location, setLocation] = useLocation();
  useIpcEventSync();
  useBridgeEvent('navigate', (route) => setLocation(pathOf(route)));
  const info = useIpcQuery('app:info', {}, { staleTime: Infinity });
  const productName = info.value?.branding.name ?? 'Deskside';
  const remoteActive = useRemoteSession()?.state === 'active';
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    document.title = productName;
  }, [productName]);

  // After a screen change, focus moves to the new screen's heading so keyboard and screen-reader
  // users land where the content starts (not on the first render: the window just opened).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
    main.current?.scrollTo({ top: 0 });
  }, [location]);

  return (
    <div className={remoteActive ? 'layout has-banner' : 'layout'}>
      {/* A running remote session: across the top of the window, above the navigation and every screen. */}
      <RemoteBanner />
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => (event.preventDefault(), main.current?.querySelector<HTMLElement>('h1')?.focus())}
      >
        Skip to content
      </a>
      <Nav productName={productName} />
      <main id="main" className="main" ref={main}>
        {/* A technician's request (command or remote session) waiting for the employee's answer shows above
            whatever screen is open. */}
        <CommandConsent />
        <RemoteConsent />
        {/* A screen-share request, then (while shared) the indicator with Stop and the chat. */}
        <ScreenShare />
        {/* Keyed by path: each screen (and each ticket or article) starts fresh, as a new page would. */}
        <Screens key={location} />
      </main>
    </div>
  );
}

/**
 * The employee window: navigation plus the current screen, wired to the agent's state and events.
 * Routing runs in memory (the window has no address bar); `navigate` events from main drive it.
 */
export function App({
  initialRoute = { screen: 'home' },
  queryClient,
}: {
  initialRoute?: Route;
  queryClient?: QueryClient;
}): ReactElement {
  const [client] = useState(() => queryClient ?? createQueryClient());
  const [location] = useState(() => memoryLocation({ path: pathOf(initialRoute) }));
  return (
    <QueryClientProvider client={client}>
      <Router hook={location.hook}>
        <AnnouncerProvider>
          <Shell />
        </AnnouncerProvider>
      </Router>
    </QueryClientProvider>
  );
}
