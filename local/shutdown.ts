import { toError } from '../core/errors.ts';

/**
 * The parts of the runtime in the order they started; `run()` stops them in
 * the reverse order, every one of them even when an earlier one fails, and
 * then throws one error naming each part that failed to stop.
 */
export class Shutdown {
  readonly #steps: { readonly part: string; readonly stop: () => Promise<unknown> | unknown }[] =
    [];

  add(part: string, stop: () => Promise<unknown> | unknown): void {
    this.#steps.push({ part, stop });
  }

  async run(): Promise<void> {
    const failures: Error[] = [];
    for (const { part, stop } of this.#steps.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(new Error(`${part}: ${toError(error).message}`, { cause: error }));
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `the local runtime did not stop cleanly: ${failures.map((f) => f.message).join('; ')}`,
      );
    }
  }
}
