// use_netrc: as Ansible's urls.py, a request without url_username takes Basic credentials from
// the target's netrc ($NETRC, else ~/.netrc) for the URL's host (or its `default` entry); they
// replace an Authorization header given in headers. Read on the target, in the request's shell.
import { shQuote } from '../../connection/quote';

/** The host name urllib looks up (lowercase, no port, no IPv6 brackets); '' when there is none. */
export function netrcHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return '';
  }
}

/**
 * sh lines setting $_na to "login:password" from the netrc entry for host (Python's netrc:
 * whitespace-separated tokens, the last entry of a machine wins, `default` as fallback).
 */
export function netrcLookup(host: string): string {
  const awk = [
    'BEGIN { RS = "[ \\t\\r\\n]+" }',
    'k == "machine" { cur = $0; k = ""; next }',
    'k == "login" { l[cur] = $0; k = ""; next }',
    'k == "password" { p[cur] = $0; k = ""; next }',
    'k == "account" { k = ""; next }',
    '$0 == "machine" || $0 == "login" || $0 == "password" || $0 == "account" { k = $0; next }',
    '$0 == "default" { cur = "\\001default"; next }',
    'END { e = (h in l || h in p) ? h : "\\001default"; if (l[e] != "" && p[e] != "") print l[e] ":" p[e] }',
  ].join('\n');
  return `  _na=; _nrc=\${NETRC:-$HOME/.netrc}; if [ -r "$_nrc" ] && [ -f "$_nrc" ]; then _na=$(awk -v h=${shQuote(host)} ${shQuote(awk)} "$_nrc"); fi`;
}

/**
 * The command that feeds curl its config from stdin: with netrc credentials found, the
 * Authorization headers given are dropped and the netrc's Basic one is added.
 */
export const NETRC_CONFIG_FEED =
  `{ if [ -n "$_na" ]; then grep -iv '^header = "authorization:'; printf 'header = "Authorization: Basic %s"\\n' "$(printf '%s' "$_na" | base64 -w0)"; else cat; fi; }`;
