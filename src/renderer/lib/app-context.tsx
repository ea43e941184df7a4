import { useCallback } from 'react';
import { useLocation } from 'wouter';
import type { AgentState, Route } from '../../shared/ipc/contract';
import { useIpcQuery } from './ipc-query';
import { pathOf, routeOf } from './routes';

/*
 * Window-wide state: the agent state (a query kept current by `state` events, see ipc-cache.ts) and
 * navigation (wouter over a memory location; changed by the navigation, by links inside screens, and
 * by `navigate` events from the tray and notifications).
 */

interface AppValue {
  state: AgentState | null;
  stateError: string | null;
  route: Route;
  navigate: (route: Route) => void;
}

/** The agent state, the current route and a way to change it. */
export function useApp(): AppValue {
  // Pushed by main whenever it changes: fetched once, then only replaced by events.
  const state = useIpcQuery('agent:state', {}, { staleTime: Infinity });
  const [location, setLocation] = useLocation();
  const navigate = useCallback((route: Route) => setLocation(pathOf(route)), [setLocation]);
  return {
    state: state.value,
    stateError: state.status === 'error' && !state.value ? state.error : null,
    route: routeOf(location),
    navigate,
  };
}
