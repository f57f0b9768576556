// ansible.posix.timer: after PLAY RECAP, "Playbook run took D days, H hours, M minutes, S seconds".
import type { Display } from '../display';
import type { Reporter } from '../types';
import type { Clock } from './clock';

export class TimerReporter implements Reporter {
  private readonly started: number;
  constructor(
    private readonly display: Display,
    private readonly clock: Clock,
  ) {
    this.started = clock.now();
  }

  onPlaybookEnd(): void {
    // timedelta: whole days, then whole seconds of the rest (microseconds dropped)
    const totalSeconds = Math.floor((this.clock.now() - this.started) / 1000);
    const days = Math.floor(totalSeconds / 86400);
    const seconds = totalSeconds % 86400;
    this.display.display(
      `Playbook run took ${days} days, ${Math.floor(seconds / 3600)} hours, ${Math.floor(seconds / 60) % 60} minutes, ${seconds % 60} seconds`,
    );
  }
}
