/** How long each record of the I/O-bound jobs waits, like a call to another service. */
export const WAIT_MS = 50;

/** CPU time each record of the CPU-bound job takes. */
export const CRUNCH_MS = 2;
