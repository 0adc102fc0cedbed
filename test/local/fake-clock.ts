import type { Clock } from '../../local/clock.ts';

/** A clock that moves only when the test says so, and records every delay it was asked for. */
export class FakeClock implements Clock {
  readonly delaysMs: number[] = [];
  readonly #timers = new Map<number, { atMs: number; fn: () => void }>();
  #nowMs: number;
  #nextId = 1;

  constructor(start: string) {
    this.#nowMs = Date.parse(start);
  }

  now(): number {
    return this.#nowMs;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    this.delaysMs.push(ms);
    const id = this.#nextId++;
    this.#timers.set(id, { atMs: this.#nowMs + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Runs timers on time, in order, up to `iso`: an event loop that keeps up. */
  advanceTo(iso: string): void {
    const targetMs = Date.parse(iso);
    for (let next = this.#due(targetMs); next; next = this.#due(targetMs)) {
      this.#nowMs = Math.max(this.#nowMs, next.atMs);
      next.fn();
    }
    this.#nowMs = targetMs;
  }

  /** Moves time on without running timers, then runs the overdue ones late: a stalled process. */
  stallUntil(iso: string): void {
    this.#nowMs = Date.parse(iso);
    for (let next = this.#due(this.#nowMs); next; next = this.#due(this.#nowMs)) next.fn();
  }

  #due(limitMs: number) {
    const [id, timer] = [...this.#timers].sort(([, a], [, b]) => a.atMs - b.atMs)[0] ?? [];
    if (id === undefined || !timer || timer.atMs > limitMs) return undefined;
    this.#timers.delete(id);
    return timer;
  }
}
