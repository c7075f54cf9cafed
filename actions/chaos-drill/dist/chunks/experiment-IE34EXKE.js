import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
import {
  ExperimentError,
  TIMED_TYPES,
  formatPath,
  parseExperiment,
  withBounds
} from "./chunk-S25XVRP4.js";
import "./chunk-DFOSAGIJ.js";
export {
  ExperimentError,
  TIMED_TYPES,
  formatPath,
  parseExperiment,
  withBounds
};
