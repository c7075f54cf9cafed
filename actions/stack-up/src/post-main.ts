import { join, relative } from 'node:path';
import * as core from '@actions/core';
import { createCompose } from '../../shared/src/compose.ts';
import { coreLog, coreState } from '../../shared/src/core-adapters.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import { createExec, type Exec } from '../../shared/src/exec.ts';
import type { Log } from '../../shared/src/log.ts';
import { createPrometheus } from '../../shared/src/prometheus.ts';
import { createReportWriter } from '../../shared/src/reports.ts';
import type { StateStore } from '../../shared/src/state.ts';
import { section } from '../../shared/src/summary.ts';
import { readStackState } from './state.ts';
import { collectAndTearDown } from './teardown.ts';

export interface PostDeps {
  readonly exec: Exec;
  readonly log: Log;
  readonly state: StateStore;
  readonly workspace: string;
}

/**
 * The post step: never fails the job. Its own problems are warnings, so a failed main
 * step stays the failure people see, and a green main step is not turned red by cleanup.
 */
export async function run(
  deps: PostDeps = {
    exec: createExec(),
    log: coreLog(),
    state: coreState(),
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
  },
): Promise<void> {
  try {
    const state = readStackState(deps.state);
    if (!state) {
      deps.log.info('stack-up post: main did not start a stack; nothing to collect or tear down');
      return;
    }
    deps.log.info(`stack-up post: collecting reports and tearing down ${state.projectName}`);
    const compose = await createCompose(
      {
        files: state.files,
        projectName: state.projectName,
        projectDirectory: state.projectDirectory,
        profiles: state.profiles,
        ...(state.envFile ? { envFile: state.envFile } : {}),
      },
      { exec: deps.exec },
    );
    const reports = createReportWriter(join(state.reportsDir, 'stack'));
    const prometheus = state.prometheusUrl ? createPrometheus(state.prometheusUrl) : undefined;
    const { saved, problems } = await collectAndTearDown({
      compose,
      reports,
      log: deps.log,
      ...(prometheus ? { prometheus } : {}),
    });
    const list = saved.map((file) => `- \`${relative(deps.workspace, file)}\``).join('\n');
    await core.summary
      .addRaw(
        section(
          `Stack ${state.projectName} torn down`,
          `${list || 'No report saved.'}${problems.length ? `\n\n${problems.map((p) => `> ⚠️ ${p}`).join('\n')}` : ''}`,
        ),
      )
      .write();
  } catch (error) {
    core.warning(`stack-up post failed: ${errorMessage(error)}`);
  }
}
