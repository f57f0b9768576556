// Python-style timestamps for command results: "2026-11-22 21:48:56.281892" and "0:00:00.004648".

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function pyDateTime(ms: number): string {
  const d = new Date(ms);
  const micro = Math.floor((ms % 1000) * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micro, 6)}`;
}

export function pyDelta(ms: number): string {
  const totalMicro = Math.round(ms * 1000);
  const micro = totalMicro % 1_000_000;
  const secs = Math.floor(totalMicro / 1_000_000);
  return `${Math.floor(secs / 3600)}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}.${pad(micro, 6)}`;
}

export function lines(s: string): string[] {
  if (s === '') return [];
  const parts = s.split(/\r?\n/);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
