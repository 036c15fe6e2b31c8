// The prompt after other people's events. A player's own command gets its prompt at once, at the
// end of the turn; what others do (a say, an arrival) does not each get one: a room's chatter
// would bury the screen in "> " lines (TinTin++ shows every prompt as a line). Instead the prompt
// comes back once the connection has been quiet for a moment. One timer for every connection, and
// per event only a Map entry moved on, so the fan-out's hot path stays as it was.
export const TICK_MS = 250;
/** Ticks of quiet before the prompt: between 250 and 500 ms after the last event. */
const QUIET_TICKS = 2;

export interface QuietPromptTarget {
  /** Called once the connection has been quiet; the target decides whether a prompt is due. */
  quietPrompt(): void;
}

export class QuietPrompts {
  private tick = 0;
  private readonly waiting = new Map<QuietPromptTarget, number>();
  private timer: NodeJS.Timeout | null = null;

  /** Output just went to `target`: its prompt waits for quiet, counted from now. */
  touch(target: QuietPromptTarget): void {
    this.waiting.set(target, this.tick);
    if (this.timer) return;
    this.timer = setInterval(() => this.onTick(), TICK_MS);
    this.timer.unref(); // a pending prompt never keeps a stopping server alive
  }

  /** The target is gone: no prompt for it. */
  forget(target: QuietPromptTarget): void {
    this.waiting.delete(target);
  }

  private onTick(): void {
    this.tick++;
    for (const [target, since] of this.waiting) {
      if (this.tick - since < QUIET_TICKS) continue;
      this.waiting.delete(target);
      target.quietPrompt();
    }
    if (this.waiting.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
