/*
 * The console's HTTP client, re-exported under a name the lint boundary allows: the browser zone's
 * `no-restricted-imports` patterns include Node's `http` module name, which also matches the path
 * './http' of this folder's fetch wrapper (a browser file, no Node in it).
 */
// eslint-disable-next-line no-restricted-imports -- ./http is the console's own fetch client, not node:http
export { api, ApiError, onSessionExpired, request, setCsrfToken, withQuery, type Query } from './http';
