// The console's HTTP client is src/console/api/http.ts. The browser lint boundary forbids the Node
// builtin "http" with a gitignore-style pattern that also matches any path ending in "/http", so the
// admin pages import the client through this one file instead of disabling the rule in each of them.
// eslint-disable-next-line no-restricted-imports -- src/console/api/http is the browser fetch client, not node:http
export { api, ApiError, withQuery } from '../../api/http';
