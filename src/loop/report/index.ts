/** The report part of the loop stage. */
export {};
