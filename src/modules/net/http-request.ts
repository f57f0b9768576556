// HTTP requests made FROM the target with curl (as Ansible's modules fetch from the managed
// host): a curl config on stdin (no secrets in argv), a parseable record back, Ansible's info dict.
import { shQuote } from '../../connection/quote';
import { NETRC_CONFIG_FEED, netrcHost, netrcLookup } from './netrc';

export type FollowRedirects = 'all' | 'safe' | 'none' | 'urllib2';

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | null;
  timeout: number;
  validateCerts: boolean;
  caPath?: string | null;
  clientCert?: string | null;
  clientKey?: string | null;
  follow: FollowRedirects;
  username?: string | null;
  password?: string | null;
  /** Sends Basic credentials with the first request; otherwise only when the server asks (Basic or Digest). */
  forceBasicAuth?: boolean;
  /** Take credentials from the target's netrc when no username is given (use_netrc, default true). */
  useNetrc?: boolean;
  /** false: ignore the *_proxy environment variables (use_proxy: no). */
  useProxy?: boolean;
  /** OpenSSL cipher names for TLS up to 1.2 (Python's set_ciphers). */
  ciphers?: string[] | null;
  userAgent: string;
  /** Target path the body is written to (created empty for HEAD); '$VAR' for a shell variable. */
  bodyFile: string;
  /** Epoch seconds: sends If-Modified-Since (get_url with an existing dest). */
  ifModifiedSince?: number | null;
  /** Adds Cache-Control: no-cache as Ansible's force does. */
  noCache?: boolean;
  /** Gunzips a body the final response sent with Content-Encoding: gzip (urllib's decompress). */
  decompress?: boolean;
  /** Headers sent to the first URL only, not after a redirect ('authorization' includes the credentials). */
  unredirectedHeaders?: string[];
}

/** The request options of Ansible's url_argument_spec, as get_url and uri both take them. */
export function urlArgumentOptions(args: Record<string, unknown>): Pick<HttpRequest,
  'timeout' | 'validateCerts' | 'caPath' | 'clientCert' | 'clientKey' | 'username' | 'password' | 'userAgent'
  | 'decompress' | 'unredirectedHeaders' | 'forceBasicAuth' | 'ciphers' | 'useProxy' | 'useNetrc'> {
  return {
    timeout: args.timeout as number,
    validateCerts: args.validate_certs as boolean,
    caPath: (args.ca_path as string | null | undefined) ?? null,
    clientCert: args.client_cert as string | null,
    clientKey: args.client_key as string | null,
    username: args.url_username as string | null,
    password: args.url_password as string | null,
    userAgent: args.http_agent as string,
    decompress: args.decompress as boolean,
    unredirectedHeaders: args.unredirected_headers as string[],
    forceBasicAuth: args.force_basic_auth as boolean,
    ciphers: args.ciphers as string[] | null,
    useProxy: args.use_proxy as boolean,
    useNetrc: args.use_netrc as boolean,
  };
}

export interface HttpInfo {
  /** -1 when no HTTP answer was received (as Ansible's fetch_url). */
  status: number;
  /** "OK (12 bytes)", "HTTP Error 404: Not Found", "Request failed: <urlopen error ...>". */
  msg: string;
  /** The final URL after redirects. */
  url: string;
  /** Response headers of the final response, lowercased names (repeated ones joined with ", "). */
  headers: Record<string, string>;
  /** Set-Cookie pairs of the final response. */
  cookies: Record<string, string>;
  /** A file:// URL: no HTTP status to report (status_code is null). */
  noStatus?: boolean;
}

/** curl's first line of a certificate failure in the words of Python's ssl module. */
function sslReason(stderr: string): string {
  const first = stderr.replace(/^curl: \(\d+\) /, '').split('\n')[0]?.trim() ?? '';
  const host = /target host name '([^']*)'/.exec(first)?.[1];
  if (host !== undefined) return `Hostname mismatch, certificate is not valid for '${host}'. (_ssl.c:992)`;
  const problem = /^SSL certificate problem: (.*)$/.exec(first)?.[1];
  if (problem !== undefined) return `${problem} (_ssl.c:992)`;
  return first;
}

/** Ansible's map of curl failures to the urllib messages it would print. */
function failureReason(rc: number, stderr: string): string {
  switch (rc) {
    case 6:
      return '<urlopen error [Errno -2] Name or service not known>';
    case 7:
      return '<urlopen error [Errno 111] Connection refused>';
    case 28:
      return 'The read operation timed out';
    case 35:
      if (/alert handshake failure/.test(stderr)) return '<urlopen error [SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure (_ssl.c:992)>';
      return `<urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${sslReason(stderr)}>`;
    case 58:
    case 60:
    case 77:
      return `<urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${sslReason(stderr)}>`;
    default:
      return stderr.replace(/^curl: \(\d+\) /, '').trim() || `curl exited with ${rc}`;
  }
}

/** Quotes a value for a curl config file ("..." with backslash escapes). */
function cfg(option: string, value?: string): string {
  if (value === undefined) return option;
  const esc = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `${option} = "${esc}"`;
}

/** Python's strftime('%a, %d %b %Y %H:%M:%S GMT') of a UTC time. */
export function httpDate(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000).toUTCString();
}

export function curlConfig(req: HttpRequest): string {
  const head = req.method === 'HEAD';
  const lines = [cfg('silent'), cfg('show-error'), cfg('url', req.url), cfg('max-time', String(req.timeout))];
  if (head) lines.push(cfg('head'));
  else if (req.method !== 'GET' || req.body != null) lines.push(cfg('request', req.method));
  // 'safe' follows only GET/HEAD, like Ansible's urllib redirect handler
  if (req.follow === 'all' || ((req.follow === 'safe' || req.follow === 'urllib2') && (req.method === 'GET' || head))) {
    lines.push(cfg('location'), cfg('max-redirs', '10'));
  }
  if (!req.validateCerts) lines.push(cfg('insecure'));
  if (req.caPath) lines.push(cfg('cacert', req.caPath));
  if (req.clientCert) lines.push(cfg('cert', req.clientCert));
  if (req.clientKey) lines.push(cfg('key', req.clientKey));
  if (req.username != null && req.username !== '') {
    lines.push(cfg('user', `${req.username}:${req.password ?? ''}`), cfg(req.forceBasicAuth ? 'basic' : 'anyauth'));
  }
  if (req.useProxy === false) lines.push(cfg('noproxy', '*'));
  if (req.ciphers?.length) lines.push(cfg('ciphers', req.ciphers.join(':')));
  lines.push(cfg('user-agent', req.userAgent));
  if (req.ifModifiedSince != null && !req.noCache) lines.push(cfg('header', `If-Modified-Since: ${httpDate(req.ifModifiedSince)}`));
  if (req.noCache) lines.push(cfg('header', 'cache-control: no-cache'));
  for (const [k, v] of Object.entries(req.headers)) lines.push(cfg('header', `${k}: ${v}`));
  // curl cannot send a body with --head; a HEAD request goes without it
  if (req.body != null && !head) lines.push(cfg('data-raw', req.body));
  return lines.join('\n') + '\n';
}

/**
 * sh lines running the request; they print "HTTP <rc> <code> <redirects> <final-url>",
 * "HTTPERR <base64 stderr>", then the header blocks between HTTPHEAD / HTTPEND markers.
 * The caller sends curlConfig(req) on stdin. Prints "NOTOOL" when curl is missing.
 */
export function requestScript(req: HttpRequest): string {
  const body = req.bodyFile.startsWith('$') ? `"${req.bodyFile}"` : shQuote(req.bodyFile);
  const out = req.method === 'HEAD' ? '/dev/null' : body;
  const host = netrcHost(req.url);
  const netrc = req.useNetrc !== false && (req.username == null || req.username === '') && host !== '';
  return [
    `if command -v curl >/dev/null 2>&1; then`,
    `  _hh=$(mktemp) || exit 1; : > ${body} || exit 1`,
    ...(netrc ? [netrcLookup(host)] : []),
    `  _ww=$(${netrc ? `${NETRC_CONFIG_FEED} | ` : ''}curl -K - -D "$_hh" -o ${out} -w '%{http_code} %{num_redirects} %{size_download} %{url_effective}' 2>"$_hh.e"); _rr=$?`,
    ...(req.decompress && req.method !== 'HEAD' ? [gunzipLines(body)] : []),
    `  echo "HTTP $_rr $_ww"; echo "HTTPERR $(base64 -w0 < "$_hh.e")"`,
    `  echo HTTPHEAD; tr -d '\\r' < "$_hh"; echo HTTPEND; rm -f -- "$_hh" "$_hh.e"`,
    `else echo NOTOOL; fi`,
  ].join('\n') + '\n';
}

/**
 * sh lines that gunzip the body in place when the last response's Content-Encoding is gzip
 * (Ansible sends no Accept-Encoding and decodes only gzip; other encodings stay as sent).
 */
function gunzipLines(body: string): string {
  const lastEncoding = `tr -d '\\r' < "$_hh" | awk 'tolower($0) ~ /^http\\//{ce=""} tolower($0) ~ /^content-encoding:[ \\t]*gzip[ \\t]*$/{ce="gzip"} END{print ce}'`;
  return `  if [ "$_rr" = 0 ] && [ "$(${lastEncoding})" = gzip ]; then gzip -dc < ${body} > "$_hh.z" && cat "$_hh.z" > ${body}; rm -f -- "$_hh.z"; fi`;
}

export interface ParsedResponse {
  noTool: boolean;
  info: HttpInfo;
}

/** Turns the record printed by requestScript into Ansible's fetch_url info. */
export function parseResponse(req: HttpRequest, stdout: string): ParsedResponse {
  if (/^NOTOOL$/m.test(stdout)) {
    return { noTool: true, info: { status: -1, msg: 'Request failed: neither curl nor wget found on the target', url: req.url, headers: {}, cookies: {} } };
  }
  const m = /^HTTP (\d+) (\d{3}) (\d+) (\d+) (.*)$/m.exec(stdout);
  const errB64 = /^HTTPERR (.*)$/m.exec(stdout)?.[1] ?? '';
  const stderr = Buffer.from(errB64, 'base64').toString('utf8');
  const rc = m ? Number(m[1]) : 1;
  const code = m ? Number(m[2]) : 0;
  const finalUrl = m?.[5] || req.url;
  if (/^file:/i.test(req.url)) {
    // urllib reads file:// URLs without HTTP: no status, "OK (n bytes)" or the OS error
    const file = decodeURIComponent(req.url.replace(/^file:\/\//i, ''));
    if (rc === 0) return { noTool: false, info: { status: 200, msg: `OK (${m?.[4] ?? 0} bytes)`, url: req.url, headers: {}, cookies: {}, noStatus: true } };
    const why = rc === 37 ? `[Errno 2] No such file or directory: '${file}'` : stderr.replace(/^curl: \(\d+\) /, '').trim();
    return { noTool: false, info: { status: -1, msg: `Request failed: <urlopen error ${why}>`, url: req.url, headers: {}, cookies: {} } };
  }
  const headBlock = /^HTTPHEAD\n([\s\S]*?)HTTPEND$/m.exec(stdout)?.[1] ?? '';
  // -D writes every response of a redirect chain: the last block is the final answer
  const blocks = headBlock.split(/\n\n+/).map((b) => b.trim()).filter((b) => b.startsWith('HTTP/'));
  const last = blocks[blocks.length - 1] ?? '';
  const [statusLine, ...headerLines] = last.split('\n');
  const reason = (statusLine ?? '').replace(/^HTTP\/[\d.]+ \d{3} ?/, '').trim();
  const headers: Record<string, string> = {};
  const cookies: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    if (name === 'set-cookie') {
      const pair = value.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) cookies[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  // a transport failure after redirects (e.g. a bad certificate at the new location) is a failed
  // request as urllib reports it, not the last redirect answer; 47 = too many redirects
  if (code === 0 || (rc !== 0 && (!last || rc !== 47))) {
    return { noTool: false, info: { status: -1, msg: `Request failed: ${failureReason(rc, stderr)}`, url: req.url, headers: {}, cookies: {} } };
  }
  let msg: string;
  if (code >= 400 || (code >= 300 && code !== 304 && blocks.length > 0)) msg = `HTTP Error ${code}: ${reason}`;
  else if (code === 304) msg = 'HTTP Error 304: Not Modified';
  else msg = `OK (${headers['content-length'] ?? 'unknown'} bytes)`;
  if (code >= 200 && code < 300) msg = `OK (${headers['content-length'] ?? 'unknown'} bytes)`;
  // urllib raises HTTPError for an error answer: fetch_url then reports the URL it was given
  return { noTool: false, info: { status: code, msg, url: code >= 300 ? req.url : finalUrl, headers, cookies } };
}
