/** The qde version recorded in every result's provenance. */
export const QDE_VERSION = '0.1.0';
