// The jsonfile fact cache (fact_caching = jsonfile): one JSON file per host in
// fact_caching_connection, named prefix + host, valid for fact_caching_timeout seconds.
import * as fs from 'fs';
import * as path from 'path';

export interface FactCache {
  load(host: string): Record<string, unknown> | undefined;
  save(host: string, facts: Record<string, unknown>): void;
  flush(host: string): void;
}

export class JsonFileFactCache implements FactCache {
  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    /** Seconds a file stays valid; 0 means forever. */
    private readonly timeout: number,
  ) {}

  private file(host: string): string {
    return path.join(this.dir, this.prefix + host);
  }

  load(host: string): Record<string, unknown> | undefined {
    const file = this.file(host);
    try {
      const st = fs.statSync(file);
      if (this.timeout > 0 && Date.now() - st.mtimeMs > this.timeout * 1000) return undefined;
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
    } catch {
      return undefined; // missing or unreadable: no cached facts, as Ansible
    }
  }

  save(host: string, facts: Record<string, unknown>): void {
    fs.mkdirSync(this.dir, { recursive: true });
    // written beside and renamed, so a reader never sees half a file
    const tmp = `${this.file(host)}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, pythonJson(facts), { mode: 0o600 });
    fs.renameSync(tmp, this.file(host));
  }

  flush(host: string): void {
    fs.rmSync(this.file(host), { force: true });
  }
}

/** json.dump(sort_keys=True, indent=4) as the jsonfile plugin writes it (ASCII, keys sorted). */
function pythonJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sorted(value), null, 4).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** The cache the settings ask for (CACHE_PLUGIN*), or none for the memory plugin. */
export function factCacheFromSettings(plugin: unknown, connection: unknown, prefix: unknown, timeout: unknown): FactCache | undefined {
  const name = String(plugin ?? 'memory');
  if (!['jsonfile', 'ansible.builtin.jsonfile'].includes(name) || !connection) return undefined;
  const dir = String(connection).replace(/^~(?=\/|$)/, process.env.HOME ?? '~');
  return new JsonFileFactCache(dir, String(prefix ?? 'ansible_facts'), Number(timeout ?? 86400));
}
