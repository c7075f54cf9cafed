import { join } from 'node:path';
import { createReportWriter } from '../../shared/src/reports.ts';
import { toChaosToolkit } from './chaostoolkit.ts';
import type { Journal } from './journal.ts';
import { junitXml, markdownReport, postmortem } from './report.ts';

export interface DrillFiles {
  readonly dir: string;
  readonly journal: string;
  readonly report: string;
  readonly postmortem: string;
  /** The journal in Chaos Toolkit's format (chaostoolkit.ts). */
  readonly chaostoolkit: string;
  readonly junit?: string;
}

/** `<experiment>-<startedAt, 20240101T120000Z>`: sortable and unique per run. */
export function runFolder(journal: Journal): string {
  return `${journal.experiment.name}-${journal.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/** Writes journal.json, report.md, postmortem.md, chaostoolkit-journal.json (and junit.xml) atomically under reportsDir/<run>/. */
export async function writeDrillFiles(
  reportsDir: string,
  journal: Journal,
  options: { junit: boolean },
): Promise<DrillFiles> {
  const writer = createReportWriter(join(reportsDir, runFolder(journal)));
  const files = {
    dir: writer.dir,
    journal: await writer.writeJson('journal.json', journal),
    report: await writer.write('report.md', markdownReport(journal)),
    postmortem: await writer.write('postmortem.md', postmortem(journal)),
    chaostoolkit: await writer.writeJson('chaostoolkit-journal.json', toChaosToolkit(journal)),
  };
  return options.junit
    ? { ...files, junit: await writer.write('junit.xml', junitXml(journal)) }
    : files;
}
