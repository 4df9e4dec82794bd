/**
 * The report part of the loop stage: the self-contained HTML report of a label store and its loop
 * history (`qde report`), with figures rendered to inline SVG in Node.
 */
export { buildReport, escapeHtml } from './html.js';
export { costFigure, dissociationFigure, learningCurveFigure, parityFigure, placementFigure } from './figures.js';
export type { Figure } from './figures.js';
export { hillFormula, meanBondAngstrom, parityFromHistory, readReportData, reportDataFromStore, reportLoopFromHistory, rungName, scanCoordinate } from './data.js';
export type {
  ReadReportOptions,
  ReportCurvePoint,
  ReportData,
  ReportLabel,
  ReportLoop,
  ReportParityPoint,
  ReportParitySet,
  ReportPlacement,
  ReportTable,
  ScanCoordinate,
} from './data.js';
export { outputPathProblem, writeReport, writeReportFile } from './write.js';
export type { WriteReportOptions, WriteReportResult } from './write.js';
