// serial: splits a play's hosts into batches (numbers, percentages, lists; the last repeats).
export function serialBatches(hosts: string[], serial: unknown): string[][] {
  if (serial === undefined || serial === null || serial === 0 || serial === '0') return [hosts];
  const steps = (Array.isArray(serial) ? serial : [serial]).map((s) => {
    const str = String(s).trim();
    if (str.endsWith('%')) return Math.max(1, Math.floor((hosts.length * parseFloat(str)) / 100));
    const n = parseInt(str, 10);
    return n > 0 ? n : hosts.length;
  });
  const batches: string[][] = [];
  let i = 0;
  let step = 0;
  while (i < hosts.length) {
    const size = steps[Math.min(step, steps.length - 1)] as number;
    batches.push(hosts.slice(i, i + size));
    i += size;
    step++;
  }
  return batches;
}
