// The admin pages reach the server through the console's one HTTP client (src/console/api/http.ts).
export { api, ApiError, call, urlOf, withQuery } from '../../api/http';
