import * as core from '@actions/core';
import { coreLog } from '../../shared/src/core-adapters.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import { createExec } from '../../shared/src/exec.ts';
import { envInputSource } from '../../shared/src/inputs.ts';
import type { Annotation } from './annotations.ts';
import { createDbCache } from './db-cache.ts';
import { parseInputs } from './inputs.ts';
import { createToolCache } from './install.ts';
import type { ScanDeps } from './pipeline.ts';

function annotate(annotation: Annotation): void {
  const properties: core.AnnotationProperties = {
    title: annotation.title,
    ...(annotation.file !== undefined ? { file: annotation.file } : {}),
    ...(annotation.startLine !== undefined
      ? { startLine: annotation.startLine, endLine: annotation.endLine ?? annotation.startLine }
      : {}),
  };
  if (annotation.level === 'error') core.error(annotation.message, properties);
  else if (annotation.level === 'warning') core.warning(annotation.message, properties);
  else core.notice(annotation.message, properties);
}

export function defaultDeps(): ScanDeps {
  return {
    env: process.env,
    exec: createExec(),
    toolCache: createToolCache(),
    dbCache: createDbCache(),
    log: coreLog(),
    now: () => new Date(),
  };
}

/** The only module that talks to @actions/core: inputs in, outputs, annotations, failure out. */
export async function run(deps: ScanDeps = defaultDeps()): Promise<void> {
  try {
    const inputs = parseInputs(envInputSource(deps.env as NodeJS.ProcessEnv), deps.env);
    // The pipeline (report schema, ignore file, SARIF/table/summary) is imported once the
    // inputs are valid: a bad input fails without paying for it (it is in dist/chunks/).
    const { runTrivyScan } = await import('./pipeline.ts');
    const result = await runTrivyScan(inputs, deps);
    const { rendered, outcome } = result;

    for (const notice of result.notices) annotate(notice);
    if (inputs.annotate) for (const annotation of rendered.annotations) annotate(annotation);

    core.setOutput('gate', outcome.gate);
    core.setOutput('counts', JSON.stringify(rendered.counts));
    for (const [name, value] of Object.entries(rendered.counts))
      core.setOutput(name, String(value));
    core.setOutput('sarif', result.sarifPaths.join('\n'));
    core.setOutput('sarif-targets', JSON.stringify(result.targets));
    core.setOutput('reports-dir', result.reportsDir);
    core.setOutput('sarif-upload', result.sarifUpload);
    core.setOutput('sarif-upload-reason', result.sarifUploadReason);
    core.setOutput('vulnerability-scan', result.vulnScan);
    if (deps.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(rendered.summary).write();

    if (outcome.gate === 'fail') {
      const message = `Trivy gate failed: ${outcome.total.gating} finding(s) at ${inputs.severities.join(', ')} (see the job summary and ${result.reportsDir})`;
      if (inputs.failOnFindings) core.setFailed(message);
      else core.warning(`${message}; not failing because fail-on-findings is false`);
    }
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
