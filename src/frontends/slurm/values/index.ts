/**
 * The sbatch value grammars of spec `slurm.md` §8, one parser per grammar, each returning a
 * `ValueResult` and never throwing. The SLURM lowering imports everything from here.
 */
export {
  type ArrayOptions,
  type ArraySpec,
  DEFAULT_MAX_ARRAY_SIZE,
  MAX_MAX_ARRAY_SIZE,
  parseArray,
} from "./array.ts";
export { type CNumber, strtol } from "./c-number.ts";
export {
  parseNoKill,
  parsePriority,
  parseRequeue,
  parseUint16,
  parseYesNo,
  parseZeroOne,
} from "./choice.ts";
export {
  type ConstraintSpec,
  GPU_MODELS,
  type GpuModel,
  gpuModelFromFeatures,
  gpuModelOf,
  namesNoModel,
  parseConstraint,
} from "./constraint.ts";
export {
  DEPENDENCY_TYPES,
  type DependencyItem,
  type DependencyJob,
  type DependencySpec,
  type DependencyType,
  parseDependency,
} from "./dependency.ts";
export { type Distribution, type DistributionMethod, parseDistribution } from "./distribution.ts";
export { type Exclusive, parseExclusive } from "./exclusive.ts";
export { type ExportSpec, type ExportVar, parseExport } from "./export.ts";
export {
  expandFilename,
  FILENAME_FIELDS,
  type FilenameField,
  type FilenamePart,
  type FilenameTemplate,
  type FilenameVars,
  MAX_PAD,
  NO_ARRAY_TASK_ID,
  parseFilename,
  printFilename,
} from "./filename.ts";
export { type GpuEntry, type GpuOption, type GpuOptions, type GpuRequest, parseGpus } from "./gpus.ts";
export { type GresEntry, type GresRequest, gresCount, parseGres, resolveGresItem } from "./gres.ts";
export { HINTS, type Hints, parseHint } from "./hint.ts";
export {
  type IntegerOptions,
  MAX_INT_VALUE,
  POSITIVE_COUNT_OPTIONS,
  type PositiveCountOption,
  parseInteger,
  parsePositiveInt,
} from "./int.ts";
export { MAIL_EVENTS, type MailEvent, type MailTypes, parseMailType } from "./mail-type.ts";
export { type MemoryOption, type MemoryOptions, type MemorySize, parseMemory } from "./memory.ts";
export { MAX_NICE, type Nice, parseNice } from "./nice.ts";
export { MAX_HOSTLIST_HOSTS, type NodeList, parseNodeList } from "./nodelist.ts";
export { MAX_NODE_LIST_SIZE, type NodeCount, parseNodes } from "./nodes.ts";
export { type OpenMode, parseOpenMode } from "./open-mode.ts";
export { fail, ok, type ValueError, type ValueResult } from "./result.ts";
export { parseSignal, SBATCH_SIGNALS, type SignalSpec } from "./signal.ts";
export {
  asciiLookalike,
  describeChar,
  isCSpace,
  MAX_GUESS_LENGTH,
  nearest,
  parseValue,
  placeholderHint,
  replaceItem,
  show,
  withPlaceholderHint,
} from "./text.ts";
export {
  type Duration,
  type DurationOptions,
  type DurationSeconds,
  MAX_DURATION_SECONDS,
  parseTime,
  parseTimeSeconds,
} from "./time.ts";
export { parseTimePoint, type TimePoint } from "./time-point.ts";
export { parseTresPerTask, type TresPerTask } from "./tres-per-task.ts";
