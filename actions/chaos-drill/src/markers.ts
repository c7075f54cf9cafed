/**
 * A fault in place is written down before it is injected and crossed out once undone: a
 * drill that dies after injecting (SIGKILL, a crash, a lost runner) leaves its marker, and
 * the next drill on the project, or `npm run drill -- --recover`, undoes the fault from it.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../shared/src/errors.ts';
import type { Fault } from './experiment.ts';
import { type FaultTools, faultDriver, type Target, type UndoState } from './faults/index.ts';

export interface FaultMarker {
  readonly project: string;
  readonly experiment: string;
  readonly fault: Fault;
  readonly recovery: string;
  readonly target: Target | null;
  readonly undo: UndoState;
  readonly at: string;
}

export interface MarkerStore {
  put(marker: FaultMarker): Promise<void>;
  remove(project: string, experiment: string): Promise<void>;
  list(project: string): Promise<FaultMarker[]>;
}

const fileOf = (project: string, experiment: string) => `${project}--${experiment}.fault.json`;

/** Markers as JSON files in `dir` (created on first use), written atomically. */
export function createMarkerStore(dir: string): MarkerStore {
  return Object.freeze({
    async put(marker: FaultMarker) {
      await mkdir(dir, { recursive: true });
      const file = join(dir, fileOf(marker.project, marker.experiment));
      await writeFile(`${file}.tmp`, `${JSON.stringify(marker, null, 2)}\n`);
      await rename(`${file}.tmp`, file);
    },
    async remove(project: string, experiment: string) {
      await rm(join(dir, fileOf(project, experiment)), { force: true });
    },
    async list(project: string) {
      const names = await readdir(dir).catch(() => [] as string[]);
      const out: FaultMarker[] = [];
      for (const n of names.filter(
        (f) => f.startsWith(`${project}--`) && f.endsWith('.fault.json'),
      ))
        out.push(JSON.parse(await readFile(join(dir, n), 'utf8')) as FaultMarker);
      return out;
    },
  });
}

/** Undoes every fault left in place on the project; returns what was done, throws on the first that fails. */
export async function recoverLeftovers(
  store: MarkerStore,
  project: string,
  tools: FaultTools,
): Promise<string[]> {
  const done: string[] = [];
  for (const m of await store.list(project)) {
    const driver = faultDriver(m.fault.action);
    try {
      await driver.undo(m.fault, m.target, m.undo, m.recovery, tools);
    } catch (error) {
      throw new Error(
        `the ${m.fault.action} of ${m.fault.service} left by drill ${m.experiment} at ${m.at} could not be undone (${driver.undoCommand(m.fault, m.recovery)}): ${errorMessage(error)}`,
      );
    }
    await store.remove(project, m.experiment);
    done.push(
      `undid the ${m.fault.action} of ${m.fault.service} left by drill ${m.experiment} at ${m.at}: ${driver.undoCommand(m.fault, m.recovery)}`,
    );
  }
  return done;
}
