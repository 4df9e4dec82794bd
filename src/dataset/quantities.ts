/**
 * The quantities a label can hold (energy, forces, dipole) as bits of a job's mask. Kept apart from
 * the store so that the campaign's worker threads, which only compute, never load SQLite.
 */

/** The quantities a label can hold, as bits of `jobs.quantities`. */
export const QUANTITY_BITS = { energy: 1, forces: 2, dipole: 4 } as const;
/** A quantity a campaign can ask for. */
export type Quantity = keyof typeof QUANTITY_BITS;

/** Bit mask of a list of quantities (energy is always included). */
export function quantityMask(quantities: readonly Quantity[]): number {
  let mask = QUANTITY_BITS.energy;
  for (const q of quantities) mask |= QUANTITY_BITS[q];
  return mask;
}

/** The quantities of a bit mask. */
export function quantitiesOf(mask: number): Quantity[] {
  return (Object.keys(QUANTITY_BITS) as Quantity[]).filter((q) => (mask & QUANTITY_BITS[q]) !== 0);
}
