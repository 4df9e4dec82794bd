/**
 * The learned-model stage: descriptors of atomic environments, Gaussian-process (energies and
 * forces) and neural-network potentials, spin-pair and Hubbard baselines for hydrogen, Δ-learning between
 * rungs, the choice of structures to label by a GP's uncertainty, error metrics, plots and model
 * files. It knows labels and
 * geometries only, never how the labels were computed.
 */
export { createDescriptor, cosineCutoff, elementIndices } from './descriptors/descriptor.js';
export type { Descriptor, DescriptorResult, DescriptorSettings } from './descriptors/descriptor.js';
export { defaultSymmetryFunctions, symmetryFunctionLength, symmetryFunctions } from './descriptors/acsf.js';
export type { AngularFunction, RadialFunction, SymmetryFunctionSettings } from './descriptors/acsf.js';
export { defaultSoapSettings, soapLength, soapPowerSpectrum } from './descriptors/soap.js';
export type { SoapSettings } from './descriptors/soap.js';
export { defaultSpinCorrelationSettings, spinCorrelationLength } from './descriptors/spin.js';
export type { SpinCorrelationSettings } from './descriptors/spin.js';
export { elementsOf, exampleFromRecord, fitReferenceEnergies, referenceEnergy } from './data.js';
export type { TrainingExample } from './data.js';
export { predictGp, trainGp } from './gp.js';
export { SPIN_BASELINE_MAX_ATOMS, checkSpinPairBaseline, createSpinPairBaseline, heisenbergGroundState } from './baseline.js';
export type { Baseline, PairCurveTables, SpinPairBaselineSettings } from './baseline.js';
export { HUBBARD_BASELINE_MAX_ATOMS, checkHubbardBaseline, createHubbardBaseline, hubbardGroundState } from './hubbard.js';
export type { HubbardBaselineSettings } from './hubbard.js';
export { checkBaseline, createBaseline } from './baselines.js';
export type { AnyBaseline, BaselineSettings } from './baselines.js';
export type { GpModel, GpOptions, Prediction } from './gp.js';
export { selectByUncertainty } from './select.js';
export type { SelectionCandidate, UncertaintySelection } from './select.js';
export { predictNn, trainNn } from './nn.js';
export type { NnModel, NnOptions } from './nn.js';
export { Tape } from './autodiff.js';
export type { Activation, Node as TapeNode } from './autodiff.js';
export { CHEMICAL_ACCURACY_HARTREE, errorMetrics, learningCurve } from './metrics.js';
export type { ErrorMetrics, LearningCurvePoint } from './metrics.js';
export { energyCurveSvg, learningCurveSvg, parityPlotSvg, renderSvg } from './plots.js';
export type { CurvePoint, ParityPoint } from './plots.js';
export {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  deltaExamples,
  loadModelFile,
  modelFromJson,
  modelToJson,
  predictModel,
  saveModelFile,
  trainModel,
} from './model.js';
export type { LabelInfo, ModelOptions, ModelProvenance, TrainedModel } from './model.js';
export { terminateTrainingWorkers, trainModels } from './train-parallel.js';
export type { TrainingJob } from './train-parallel.js';
