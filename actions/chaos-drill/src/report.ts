/** The journal as people read it: Markdown report, SRE post-mortem draft, JUnit. Pure. */
import { humanDuration, markdownTable } from '../../shared/src/summary.ts';
import type { Journal } from './journal.ts';

const dur = (ms: number | null) => (ms === null ? '—' : humanDuration(ms));
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

export function timelineTable(journal: Journal): string {
  return markdownTable(
    ['t (s from fault)', 'time (UTC)', 'source', 'event'],
    journal.timeline.map((e) => [e.t.toFixed(3), e.at.slice(11, 23), e.source, e.event]),
  );
}

export function figuresTable(journal: Journal): string {
  const m = journal.measurements;
  return markdownTable(
    ['figure', 'value', 'from'],
    [
      [
        'time to detect (fault → first scrape with the target-down query == 0)',
        dur(m.timeToDetectMs),
        'Prometheus sample timestamp',
      ],
      ['alert pending after', dur(m.alertPendingAfterMs), 'ALERTS sample / activeAt'],
      ['alert firing after', dur(m.alertFiringAfterMs), 'ALERTS sample timestamp'],
      [
        'frontend degraded after (first degraded answer)',
        dur(m.frontendDegradedAfterMs),
        'HTTP probe',
      ],
      [
        'time to recover (recovery start → first scrape with it == 1 again)',
        dur(m.timeToRecoverMs),
        'Prometheus sample timestamp',
      ],
      ['frontend OK again after recovery start', dur(m.frontendRecoveredAfterMs), 'user load'],
      ['scrape interval seen', dur(m.scrapeIntervalMs), 'spacing of raw up samples'],
      ['rule evaluation interval seen', dur(m.evaluationIntervalMs), 'spacing of ALERTS samples'],
      ...(journal.writes
        ? [
            ['notes acknowledged (201 + id)', String(journal.writes.acknowledged), 'writer'],
            ['acknowledged notes lost (target 0)', String(journal.writes.lost), 'read-back'],
            ['notes duplicated (target 0)', String(journal.writes.duplicated), 'read-back'],
          ]
        : []),
      ['drill duration', dur(journal.durationMs), 'drill clock'],
    ],
  );
}

/** Bound and measured value of one expectation: durations, or counts for counting checks. */
function boundAndMeasured(x: Journal['expectations'][number]): [string, string] {
  if (x.count)
    return [`≤ ${x.count.bound}`, x.count.measured === null ? '—' : String(x.count.measured)];
  return [dur(x.boundMs), dur(x.measuredMs)];
}

function writesText(journal: Journal): string {
  const w = journal.writes;
  if (!w) return 'No writer was configured for this experiment.';
  return [
    `${w.attempted} notes at ${w.ratePerSecond}/s to \`${w.url}\` (${w.requests} requests, retries with the same Idempotency-Key included): **${w.acknowledged} acknowledged, ${w.lost} lost, ${w.duplicated} duplicated**. ${w.acknowledgedAfterRetry} were acknowledged only after a retry, ${w.replayed} of them by a replay (the first attempt had committed but its answer was lost); ${w.unacknowledged} were never acknowledged (given up or refused), ${w.committedUnacknowledged} of those are stored anyway. Slowest acknowledgement ${dur(w.slowestAcknowledgementMs)}. Read-back ${w.verified ? 'complete' : `INCOMPLETE (${w.problems.join('; ')})`}.`,
    ...w.lostWrites.slice(0, 10).map((l) => `- lost: \`${l.key}\` (id ${l.id}): ${l.reason}`),
    ...w.duplicatedWrites
      .slice(0, 10)
      .map((d) => `- duplicated: "${d.text}" stored as ids ${d.ids.join(', ')}`),
  ].join('\n');
}

export function expectationsTable(journal: Journal): string {
  return markdownTable(
    ['expectation', 'checks', 'bound', 'measured', 'result'],
    journal.expectations.map((x) => [
      x.name,
      x.description,
      ...boundAndMeasured(x),
      x.passed ? 'passed' : `**FAILED**: ${x.detail}`,
    ]),
  );
}

function impactText(journal: Journal): string {
  const i = journal.impact;
  if (!i) return 'No user load was configured for this experiment.';
  return `${i.requests} requests at ${i.ratePerSecond} req/s to \`${i.url}\`: ${i.failures} failed (${pct(i.errorRatio)}), ${i.degradedResponses} of them the frontend's JSON 503, ${i.timeouts} timed out; longest failure streak ${dur(i.longestFailureStreakMs)} (${i.longestFailureStreakRequests} requests); slowest response ${dur(i.slowestResponseMs)}.`;
}

export function markdownReport(journal: Journal): string {
  const e = journal.experiment;
  return [
    `# Chaos drill \`${e.name}\`: ${journal.verdict.toUpperCase()}`,
    '',
    `${e.description}`.trim(),
    '',
    markdownTable(
      ['', ''],
      [
        ['experiment', `\`${e.file}\``],
        [
          'fault',
          `compose ${e.fault.action} ${e.fault.service}${e.fault.signal ? ` (${e.fault.signal})` : ''}`,
        ],
        ['recovery', `${e.recovery.action}, bound ${dur(e.recovery.withinMs)}`],
        ['project', `${journal.target.project} (Compose ${journal.target.composeVersion})`],
        ['started / finished', `${journal.startedAt} / ${journal.finishedAt}`],
        ['verdict', journal.verdict],
        ...(journal.reason ? [['reason', journal.reason]] : []),
      ],
    ),
    '',
    '## Figures',
    '',
    figuresTable(journal),
    '',
    '## Expectations',
    '',
    journal.expectations.length > 0
      ? expectationsTable(journal)
      : '_None evaluated: no fault was injected._',
    '',
    '## User impact',
    '',
    impactText(journal),
    '',
    ...(journal.writes ? ['## Writes', '', writesText(journal), ''] : []),
    '## Timeline',
    '',
    timelineTable(journal),
    '',
    ...(journal.errors.length > 0
      ? ['## Errors', '', ...journal.errors.map((x) => `- ${x}`), '']
      : []),
  ].join('\n');
}

/** A post-mortem draft in the Google SRE book's template, filled with the measured facts. */
export function postmortem(journal: Journal): string {
  const m = journal.measurements;
  const e = journal.experiment;
  const i = journal.impact;
  const failed = journal.expectations.filter((x) => !x.passed);
  const status =
    journal.verdict === 'passed' ? 'Draft, drill passed' : `Draft, drill ${journal.verdict}`;
  return [
    `# Post-mortem (draft): ${e.fault.service} ${e.fault.action}ed, drill \`${e.name}\``,
    '',
    `**Date:** ${journal.startedAt.slice(0, 10)}  `,
    '**Authors:** chaos-drill (generated from the journal; edit before publishing)  ',
    `**Status:** ${status}  `,
    `**Summary:** The ${e.fault.service} service was made unavailable on purpose (\`compose ${e.fault.action}\`) for ${dur(m.recoveryStartedAt && m.faultAt ? Date.parse(m.recoveryStartedAt) - Date.parse(m.faultAt) : null)}. Prometheus saw the target down after ${dur(m.timeToDetectMs)}, the alert was pending after ${dur(m.alertPendingAfterMs)} and firing after ${dur(m.alertFiringAfterMs)}; the service was scraped successfully again ${dur(m.timeToRecoverMs)} after the recovery started.`,
    '',
    `**Impact:** ${impactText(journal)}${journal.writes ? ` Writes: ${journal.writes.acknowledged} notes acknowledged, ${journal.writes.lost} lost, ${journal.writes.duplicated} duplicated.` : ''} Every API request through the frontend failed while the ${e.fault.service} was down; the status page itself stayed up and answered \`backend_unavailable\` instead of hanging.`,
    '',
    `**Root causes:** A single ${e.fault.service} container with no replica: when its process dies, nothing else can answer \`/api/\`.`,
    '',
    `**Trigger:** \`compose ${e.fault.action} ${e.fault.service}\`${e.fault.signal ? ` (${e.fault.signal})` : ''} at ${m.faultAt ?? '—'}, injected by the drill. Docker does not apply \`restart: unless-stopped\` to a container killed or stopped through the API, so it stayed down until someone acted.`,
    '',
    `**Resolution:** \`${e.recovery.action === 'up' ? `compose up -d --no-deps ${e.fault.service}` : e.recovery.action}\` at ${m.recoveryStartedAt ?? '—'}; first successful scrape at ${m.recoveredAt ?? '—'}; user requests succeeded again ${dur(m.frontendRecoveredAfterMs)} after the recovery started.`,
    '',
    `**Detection:** Prometheus (scrape interval ${dur(m.scrapeIntervalMs)}, rule evaluation ${dur(m.evaluationIntervalMs)}): first failed scrape ${dur(m.timeToDetectMs)} after the fault, BackendDown pending at ${dur(m.alertPendingAfterMs)}, firing (sent to Alertmanager) at ${dur(m.alertFiringAfterMs)}.`,
    '',
    '## Action items',
    '',
    markdownTable(
      ['action item', 'type', 'owner', 'status'],
      [
        ...failed.map((x) => [
          `Investigate why ${x.name} missed its bound (${x.detail})`,
          'investigate',
          'TBD',
          'open',
        ]),
        [
          'Run a second backend replica behind nginx so one dead container is not an outage',
          'prevent',
          'TBD',
          'open',
        ],
        [
          'Restart crashed containers automatically (`restart: unless-stopped`, already set; does not cover manual kills)',
          'mitigate',
          'TBD',
          'done',
        ],
        [
          'Frontend answers a fast JSON 503 instead of hanging (nginx `@backend_unavailable`)',
          'mitigate',
          'TBD',
          'done',
        ],
        [
          'Keep this drill in CI so time to detect and recover are measured on every change',
          'process',
          'TBD',
          'done',
        ],
      ],
    ),
    '',
    '## Lessons learned',
    '',
    '**What went well**',
    '',
    ...journal.expectations.filter((x) => x.passed).map((x) => `- ${x.name}: ${x.detail}`),
    '',
    '**What went wrong**',
    '',
    ...(failed.length > 0
      ? failed.map((x) => `- ${x.name}: ${x.detail}`)
      : ['- Users saw errors for the whole outage: there is no redundancy.']),
    ...(i && i.failures > 0
      ? [`- ${i.failures} of ${i.requests} user requests failed (${pct(i.errorRatio)}).`]
      : []),
    '',
    '**Where we got lucky**',
    '',
    '- The fault was injected on purpose, with the recovery command ready.',
    '',
    '## Timeline',
    '',
    timelineTable(journal),
    '',
    '## Supporting information',
    '',
    `- Journal: \`journal.json\` next to this file (schema: observability/drills/journal.schema.json).`,
    `- Experiment: \`${e.file}\`.`,
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

/** One testcase per expectation (and the recovery checks); an aborted drill is one error. */
export function junitXml(journal: Journal): string {
  const name = `chaos-drill.${journal.experiment.name}`;
  const cases = journal.expectations.map((x) => {
    const time = ((x.measuredMs ?? 0) / 1000).toFixed(3);
    const body = x.passed
      ? ''
      : `\n      <failure message="${xml(x.detail)}" type="${xml(x.type)}">${xml(`${x.description}\nbound ${boundAndMeasured(x)[0]}, measured ${boundAndMeasured(x)[1]}`)}</failure>\n    `;
    return `    <testcase classname="${xml(name)}" name="${xml(x.name)}" time="${time}">${body}</testcase>`;
  });
  if (journal.verdict === 'aborted') {
    cases.push(
      `    <testcase classname="${xml(name)}" name="drill"><error message="${xml(journal.reason ?? 'aborted')}" type="aborted"/></testcase>`,
    );
  }
  const failures = journal.expectations.filter((x) => !x.passed).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="chaos-drill" tests="${cases.length}" failures="${failures}" errors="${journal.verdict === 'aborted' ? 1 : 0}" time="${(journal.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="${journal.verdict === 'aborted' ? 1 : 0}" time="${(journal.durationMs / 1000).toFixed(3)}" timestamp="${journal.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The job summary: verdict, figures, expectations, timeline. */
export function jobSummary(journal: Journal): string {
  return markdownReport(journal).replace(/^# /, '### ').replace(/^## /gm, '#### ');
}
