/** The experiments part of the loop stage. */
export {};
