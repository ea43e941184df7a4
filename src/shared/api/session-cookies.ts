/*
 * Cookie names of the staff session, zod-free so the console bundle can import them.
 */

/** The HttpOnly session cookie (the secret). */
export const SESSION_COOKIE = 'deskside_session';

/**
 * A readable companion cookie without any secret, set and refreshed with the session cookie to expire
 * at the same time as the session (idle or absolute limit) and cleared with it: the console checks it
 * before a request, so an expired session shows sign-in without a failed request the browser would log.
 */
export const SIGNED_IN_HINT_COOKIE = 'deskside_signed_in';
