import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
import {
  ExperimentError,
  TIMED_TYPES,
  formatPath,
  parseExperiment,
  withBounds
} from "./chunk-KOAC5RWV.js";
import "./chunk-DFOSAGIJ.js";
export {
  ExperimentError,
  TIMED_TYPES,
  formatPath,
  parseExperiment,
  withBounds
};
