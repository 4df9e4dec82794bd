/**
 * Active learning that prices every label: loop files, the GP posterior and its variance-reduction
 * score, cost-aware batch acquisition, the resumable loop and its recorded history.
 */
export { STRATEGIES, ensureLoopTables, readLoopHistory } from './history.js';
export type {
  LoopAcquisitionRecord,
  LoopHistory,
  LoopHistoryFilter,
  LoopIterationRecord,
  LoopRunRecord,
  LoopTestRecord,
  Strategy,
} from './history.js';
