// Events per second for /admin/status: a running total sampled once a second into a short ring,
// so the rate covers the last few seconds rather than the whole uptime.
export class EventRate {
  private readonly samples: Array<{ at: number; total: number }> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly total: () => number,
    private readonly windowS = 10,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  sample(): void {
    this.samples.push({ at: this.now(), total: this.total() });
    while (this.samples.length > this.windowS + 1) this.samples.shift();
  }

  perSecond(): number {
    const oldest = this.samples[0];
    if (!oldest) return 0;
    const seconds = (this.now() - oldest.at) / 1000;
    if (seconds <= 0) return 0;
    return Math.round(((this.total() - oldest.total) / seconds) * 10) / 10;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
