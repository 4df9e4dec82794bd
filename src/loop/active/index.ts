/** The active part of the loop stage. */
export {};
