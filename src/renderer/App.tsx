import { useEffect, useRef, type ReactElement } from 'react';
import type { Route } from '../shared/ipc/contract';
import { assertNever } from '../shared/result';
import { AnnouncerProvider } from './components/Announcer';
import { Nav } from './components/Nav';
import { AppProvider, useApp } from './lib/app-context';
import { useIpcQuery } from './lib/hooks';
import { AboutScreen } from './screens/AboutScreen';
import { AnnouncementsScreen } from './screens/AnnouncementsScreen';
import { ArticleScreen } from './screens/articles/ArticleScreen';
import { ArticlesScreen } from './screens/articles/ArticlesScreen';
import { CheckScreen } from './screens/CheckScreen';
import { GetHelpScreen } from './screens/help/GetHelpScreen';
import { HomeScreen } from './screens/HomeScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { TicketScreen } from './screens/tickets/TicketScreen';
import { TicketsScreen } from './screens/tickets/TicketsScreen';

function ScreenFor({ route }: { route: Route }): ReactElement {
  switch (route.screen) {
    case 'home':
      return <HomeScreen />;
    case 'check':
      return <CheckScreen />;
    case 'help':
      return <GetHelpScreen />;
    case 'tickets':
      return <TicketsScreen />;
    case 'ticket':
      return <TicketScreen ticketId={route.ticketId} />;
    case 'articles':
      return <ArticlesScreen />;
    case 'article':
      return <ArticleScreen articleId={route.articleId} />;
    case 'announcements':
      return <AnnouncementsScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'about':
      return <AboutScreen />;
    default:
      return assertNever(route);
  }
}

const routeKey = (route: Route): string =>
  route.screen === 'ticket'
    ? `ticket:${route.ticketId}`
    : route.screen === 'article'
      ? `article:${route.articleId}`
      : route.screen;

function Shell(): ReactElement {
  const { route } = useApp();
  const info = useIpcQuery('app:info', {});
  const productName = info.value?.branding.name ?? 'Deskside';
  const main = useRef<HTMLElement>(null);
  const key = routeKey(route);
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
  }, [key]);

  return (
    <div className="layout">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => (event.preventDefault(), main.current?.querySelector<HTMLElement>('h1')?.focus())}
      >
        Skip to content
      </a>
      <Nav productName={productName} />
      <main id="main" className="main" ref={main}>
        <ScreenFor key={key} route={route} />
      </main>
    </div>
  );
}

/** The employee window: navigation plus the current screen, wired to the agent's state and events. */
export function App({ initialRoute = { screen: 'home' } }: { initialRoute?: Route }): ReactElement {
  return (
    <AnnouncerProvider>
      <AppProvider initialRoute={initialRoute}>
        <Shell />
      </AppProvider>
    </AnnouncerProvider>
  );
}
