// Which request follows a redirect answer, as Ansible's RedirectHandlerFactory decides it
// (follow_redirects all/yes, safe, none/no, and urllib2 = Python 3.11's own handler).
import type { FollowRedirects, HttpRequest } from './http-request';

export const REDIRECT_CODES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

const without = (headers: Record<string, string>, drop: ReadonlySet<string>) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !drop.has(k.toLowerCase())));

/** The next request, or null when the redirect is not followed (the 3xx answer is then an HTTP error). */
export function nextRequest(
  follow: FollowRedirects, current: HttpRequest, code: number, location: string, unredirected: ReadonlySet<string>,
): HttpRequest | null {
  const method = current.method;
  const url = new URL(location.replace(/ /g, '%20'), current.url).toString();
  // credentials go with the request unless authorization is unredirected
  const auth = unredirected.has('authorization') ? { username: null, password: null } : {};
  if (follow === 'urllib2') {
    const allowed = (REDIRECT_CODES.has(code) && (method === 'GET' || method === 'HEAD')) || ([301, 302, 303].includes(code) && method === 'POST');
    if (!allowed) return null;
    const drop = new Set([...unredirected, 'content-length', 'content-type']);
    return { ...current, ...auth, url, method: 'GET', body: null, headers: without(current.headers, drop) };
  }
  if (follow === 'none') return null;
  if (follow === 'safe' && method !== 'GET' && method !== 'HEAD') return null;
  if (code === 307 || code === 308) return { ...current, ...auth, url, headers: without(current.headers, unredirected) };
  const drop = new Set([...unredirected, 'content-length', 'content-type', 'transfer-encoding']);
  let next = method;
  if ((code === 303 || code === 302) && method !== 'HEAD') next = 'GET';
  if (code === 301 && method === 'POST') next = 'GET';
  return { ...current, ...auth, url, method: next, body: null, headers: without(current.headers, drop) };
}
