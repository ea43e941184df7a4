import { createContext, useContext, useEffect, useState, type ReactElement, type ReactNode } from 'react';
import type { AgentState, Route } from '../../shared/ipc/contract';
import { invoke, subscribe } from './bridge';

/*
 * Window-wide state: the agent state (kept current by `state` events) and navigation (changed by
 * the navigation, by links inside screens, and by `navigate` events from the tray and notifications).
 */

interface AppContextValue {
  state: AgentState | null;
  stateError: string | null;
  route: Route;
  navigate: (route: Route) => void;
}

const AppContext = createContext<AppContextValue | null>(null);

/** Loads the agent state, follows its events, and owns the current route. */
export function AppProvider({ children, initialRoute }: { children: ReactNode; initialRoute: Route }): ReactElement {
  const [state, setState] = useState<AgentState | null>(null);
  const [stateError, setStateError] = useState<string | null>(null);
  const [route, setRoute] = useState<Route>(initialRoute);

  useEffect(() => {
    let live = true;
    const offState = subscribe('state', (next) => {
      setState(next);
      setStateError(null);
    });
    const offNavigate = subscribe('navigate', (next) => setRoute(next));
    void invoke('agent:state', {}).then((response) => {
      if (!live) return;
      if (response.ok) setState((current) => current ?? response.value);
      else setStateError(response.error.message);
    });
    return () => {
      live = false;
      offState();
      offNavigate();
    };
  }, []);

  return <AppContext.Provider value={{ state, stateError, route, navigate: setRoute }}>{children}</AppContext.Provider>;
}

/** The window-wide state and navigation. */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppProvider');
  return value;
}
