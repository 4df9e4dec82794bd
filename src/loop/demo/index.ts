/** The demo part of the loop stage. */
export {};
