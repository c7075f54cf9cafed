import { join } from 'node:path';
import * as core from '@actions/core';
import { type Clock, systemClock } from '../../shared/src/clock.ts';
import { checkDockerEngine } from '../../shared/src/docker.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import { createExec, type Exec } from '../../shared/src/exec.ts';
import { envInputSource } from '../../shared/src/inputs.ts';
import { readInputs } from './inputs.ts';
import { writeDrillFiles } from './output.ts';
import { jobSummary } from './report.ts';
import { abortOnSignals, prepareDrill } from './setup.ts';

export interface Deps {
  readonly env: NodeJS.ProcessEnv;
  readonly exec: Exec;
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
}

const seconds = (ms: number | null) => (ms === null ? '' : (ms / 1000).toFixed(3));

export async function run(
  deps: Deps = { env: process.env, exec: createExec(), clock: systemClock },
): Promise<void> {
  const controller = new AbortController();
  const release = abortOnSignals(controller, (line) => core.warning(line));
  try {
    const inputs = readInputs(
      envInputSource(deps.env),
      deps.env,
      deps.env.GITHUB_WORKSPACE ?? process.cwd(),
    );
    core.info(`Docker engine ${await checkDockerEngine(deps.exec)}`);
    const { experiment, deps: drillDeps } = await prepareDrill(
      {
        experimentFile: inputs.experiment,
        composeFiles: inputs.composeFiles,
        projectName: inputs.projectName,
        urls: inputs.urls,
        overrides: inputs.overrides,
        // A fault left by a crashed run is undone by the next run on the same reports dir.
        stateDir: join(inputs.reportsDir, '.in-flight'),
      },
      {
        exec: deps.exec,
        clock: deps.clock,
        log: (line) => core.info(line),
        signal: controller.signal,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      },
    );
    // Imported when the drill runs; the chunk it shares with the experiment is loaded by now.
    const { runDrill } = await import('./drill.ts');
    const journal = await core.group(
      `Chaos drill ${experiment.name} on project ${inputs.projectName}`,
      () => runDrill(experiment, drillDeps),
    );
    const files = await writeDrillFiles(inputs.reportsDir, journal, { junit: inputs.junit });
    const m = journal.measurements;
    core.setOutput('verdict', journal.verdict);
    core.setOutput('time-to-detect', seconds(m.timeToDetectMs));
    core.setOutput('time-to-recover', seconds(m.timeToRecoverMs));
    core.setOutput('alert-pending-after', seconds(m.alertPendingAfterMs));
    core.setOutput('alert-firing-after', seconds(m.alertFiringAfterMs));
    core.setOutput(
      'resilience-score',
      journal.score.percent === null ? '' : String(journal.score.percent),
    );
    const w = journal.writes;
    core.setOutput('writes-acknowledged', w ? String(w.acknowledged) : '');
    core.setOutput('writes-lost', w ? String(w.lost) : '');
    core.setOutput('writes-duplicated', w ? String(w.duplicated) : '');
    core.setOutput('reports-dir', files.dir);
    core.setOutput('journal', files.journal);
    core.setOutput('report', files.report);
    core.setOutput('postmortem', files.postmortem);
    core.setOutput('junit', files.junit ?? '');
    await core.summary.addRaw(jobSummary(journal)).write();
    core.info(`Journal ${files.journal}\nReport ${files.report}\nPost-mortem ${files.postmortem}`);
    if (journal.verdict !== 'passed')
      core.setFailed(`Chaos drill ${experiment.name} ${journal.verdict}: ${journal.reason ?? ''}`);
  } catch (error) {
    core.setFailed(errorMessage(error));
  } finally {
    release();
  }
}
