// Progress of an image build: a bar on a terminal (cli-progress), one line per phase elsewhere.
import { SingleBar } from 'cli-progress';

export interface BuildProgress {
  /** A new phase begins (debootstrap, setup, import); `total` steps when known. */
  phase(name: string, total?: number): void;
  /** One step of the current phase done, with what it was. */
  step(detail: string): void;
  /** The build ended (successfully or not). */
  done(summary: string): void;
}

export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
}

/** Lines only: one per phase and the summary (CI logs, harness output). */
export function lineProgress(log: (line: string) => void): BuildProgress {
  return {
    phase: (name) => log(`image: ${name}`),
    step: () => undefined,
    done: (summary) => log(`image: ${summary}`),
  };
}

/** A bar per phase, redrawn in place on a terminal. */
export function barProgress(stream: NodeJS.WriteStream): BuildProgress {
  let bar: SingleBar | undefined;
  let value = 0;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    phase(name, total) {
      stop();
      value = 0;
      bar = new SingleBar({
        stream,
        format: `${name.padEnd(12)} [{bar}] {percentage}% {detail}`,
        barsize: 30,
        hideCursor: true,
        clearOnComplete: false,
      });
      bar.start(total ?? 1, 0, { detail: '' });
    },
    step(detail) {
      value += 1;
      if (!bar) return;
      if (value >= bar.getTotal()) bar.setTotal(value + 1);
      bar.update(value, { detail: detail.slice(0, 40) });
    },
    done(summary) {
      if (bar) bar.update(bar.getTotal(), { detail: '' });
      stop();
      stream.write(`${summary}\n`);
    },
  };
}
