/**
 * The journal as people read it: Markdown report, SRE post-mortem draft, JUnit, job summary.
 * Pure, and from the journal alone: the fault's verb and commands come from its driver (in
 * the journal), the alert names from the expectations.
 */
import { humanDuration, markdownTable } from '../../shared/src/summary.ts';
import type { Journal, SeriesPoint } from './journal.ts';

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
        `time to detect (fault → ${m.detectedBy ?? 'first sign in Prometheus'})`,
        dur(m.timeToDetectMs),
        'Prometheus sample timestamp',
      ],
      [
        `${m.alert ?? 'alert'} pending after`,
        dur(m.alertPendingAfterMs),
        'ALERTS sample / activeAt',
      ],
      [`${m.alert ?? 'alert'} firing after`, dur(m.alertFiringAfterMs), 'ALERTS sample timestamp'],
      [
        'frontend degraded after (first degraded answer)',
        dur(m.frontendDegradedAfterMs),
        'HTTP probe',
      ],
      [
        'time to recover (recovery start → recovered: the up query again, else the steady state)',
        dur(m.timeToRecoverMs),
        journal.expectations.find((x) => x.type === 'recovery')?.source ?? '—',
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
      ['resilience score', scoreText(journal), journal.score.formula],
    ],
  );
}

export function scoreText(journal: Journal): string {
  const s = journal.score;
  return s.percent === null
    ? '— (aborted)'
    : `${s.percent} % (${s.passedWeight} of ${s.totalWeight})`;
}

/** Bound and measured value of one expectation: durations, counts, or SLO shares. */
function boundAndMeasured(x: Journal['expectations'][number]): [string, string] {
  if (x.measure)
    return [
      `≤ ${pct(x.measure.bound)}`,
      x.measure.measured === null ? '—' : pct(x.measure.measured),
    ];
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
    ['expectation', 'checks', 'bound', 'measured', 'result', 'weight'],
    journal.expectations.map((x) => [
      x.name,
      x.description,
      ...boundAndMeasured(x),
      x.passed ? 'passed' : `**FAILED**: ${x.detail}`,
      String(x.weight),
    ]),
  );
}

function impactText(journal: Journal): string {
  const i = journal.impact;
  if (!i) return 'No user load was configured for this experiment.';
  return `${i.requests} requests at ${i.ratePerSecond} req/s to \`${i.url}\`: ${i.failures} failed (${pct(i.errorRatio)}), ${i.degradedResponses} of them a JSON 503, ${i.timeouts} timed out; longest failure streak ${dur(i.longestFailureStreakMs)} (${i.longestFailureStreakRequests} requests); slowest response ${dur(i.slowestResponseMs)}.`;
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
        ['fault', `${e.fault.noun}: \`${e.fault.command}\``],
        [
          'recovery',
          `${e.recovery.action}: \`${e.recovery.command}\`, bound ${dur(e.recovery.withinMs)}`,
        ],
        ['project', `${journal.target.project} (Compose ${journal.target.composeVersion})`],
        ['started / finished', `${journal.startedAt} / ${journal.finishedAt}`],
        ['verdict', journal.verdict],
        ['resilience score', scoreText(journal)],
        ...(journal.reason ? [['reason', journal.reason]] : []),
      ],
    ),
    '',
    ...chartSection(journal, '##'),
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
  const f = e.fault;
  const i = journal.impact;
  const failed = journal.expectations.filter((x) => !x.passed);
  const degraded = journal.expectations.filter((x) => x.type === 'http-degraded');
  const alert = m.alert ?? 'no alert';
  const status =
    journal.verdict === 'passed' ? 'Draft, drill passed' : `Draft, drill ${journal.verdict}`;
  const lasted =
    m.recoveryStartedAt && m.faultAt
      ? dur(Date.parse(m.recoveryStartedAt) - Date.parse(m.faultAt))
      : '—';
  return [
    `# Post-mortem (draft): ${f.service} ${f.verb}, drill \`${e.name}\``,
    '',
    `**Date:** ${journal.startedAt.slice(0, 10)}  `,
    '**Authors:** chaos-drill (generated from the journal; edit before publishing)  ',
    `**Status:** ${status}  `,
    `**Resilience score:** ${scoreText(journal)}  `,
    `**Summary:** The ${f.service} service was ${f.verb} on purpose (${f.noun}: \`${f.command}\`) for ${lasted}. Prometheus detected it after ${dur(m.timeToDetectMs)}${m.detectedBy ? ` (${m.detectedBy})` : ''}, ${alert} was pending after ${dur(m.alertPendingAfterMs)} and firing after ${dur(m.alertFiringAfterMs)}; it was recovered ${dur(m.timeToRecoverMs)} after the recovery started.`,
    '',
    `**Impact:** ${impactText(journal)}${journal.writes ? ` Writes: ${journal.writes.acknowledged} notes acknowledged, ${journal.writes.lost} lost, ${journal.writes.duplicated} duplicated.` : ''}${degraded.length > 0 ? ` Degraded answers expected: ${degraded.map((x) => `${x.name} (${x.description}): ${x.passed ? 'held' : 'FAILED'}`).join('; ')}.` : ''}`,
    '',
    `**Root causes:** ${f.noun} of ${f.service}, with a single ${f.service} container and nothing to take over its work.`,
    '',
    `**Trigger:** \`${f.command}\` at ${m.faultAt ?? '—'}, injected by the drill.`,
    '',
    `**Resolution:** \`${e.recovery.command}\` at ${m.recoveryStartedAt ?? '—'}; recovered at ${m.recoveredAt ?? '—'}; user requests succeeded again ${dur(m.frontendRecoveredAfterMs)} after the recovery started.`,
    '',
    `**Detection:** Prometheus (scrape interval ${dur(m.scrapeIntervalMs)}, rule evaluation ${dur(m.evaluationIntervalMs)}): ${m.detectedBy ?? 'nothing'} ${dur(m.timeToDetectMs)} after the fault, ${alert} pending at ${dur(m.alertPendingAfterMs)}, firing (sent to Alertmanager) at ${dur(m.alertFiringAfterMs)}.`,
    '',
    ...chartSection(journal, '##'),
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
          `Run a second ${f.service} replica so that one ${f.verb} container is not an outage`,
          'prevent',
          'TBD',
          'open',
        ],
        ...degraded
          .filter((x) => x.passed)
          .map((x) => [
            `Callers get a fast degraded answer instead of hanging (${x.name})`,
            'mitigate',
            'TBD',
            'done',
          ]),
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
      : [`- Users saw errors while the ${f.service} was ${f.verb}: there is no redundancy.`]),
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

/** At most this many points per chart: longer series are merged into wider buckets. */
const MAX_POINTS = 48;

/** The series merged into buckets of `width` seconds (t is the bucket's start). Pure. */
export function bucketSeries(series: readonly SeriesPoint[], width: number): SeriesPoint[] {
  const out = new Map<number, SeriesPoint>();
  for (const p of series) {
    const t = Math.floor(p.t / width) * width;
    const b = out.get(t);
    out.set(
      t,
      b
        ? {
            t,
            requests: b.requests + p.requests,
            failures: b.failures + p.failures,
            slowestMs: Math.max(b.slowestMs, p.slowestMs),
          }
        : { ...p, t },
    );
  }
  return [...out.values()].sort((a, b) => a.t - b.t);
}

/**
 * Two Mermaid xychart-beta charts of the user load (GitHub renders them): the success rate
 * and the slowest response per bucket, with the fault (F), the detection (D) and the
 * recovery start (R) marked on the time axis. Empty without a load.
 */
export function timelineChart(journal: Journal): string {
  if (journal.series.length === 0) return '';
  const span = (journal.series.at(-1)?.t ?? 0) - (journal.series[0]?.t ?? 0) + 1;
  const width = Math.max(1, Math.ceil(span / MAX_POINTS));
  const points = bucketSeries(journal.series, width);
  const m = journal.measurements;
  const at = (iso: string | null) =>
    iso && m.faultAt
      ? Math.floor((Date.parse(iso) - Date.parse(m.faultAt)) / 1000 / width) * width
      : undefined;
  const marks = new Map<number, string[]>();
  for (const [label, t] of [
    ['F', 0],
    ['D', at(m.detectedAt)],
    ['R', at(m.recoveryStartedAt)],
  ] as const)
    if (t !== undefined) marks.set(t, [...(marks.get(t) ?? []), label]);
  const axis = points.map(
    (p) => `"${p.t}${marks.has(p.t) ? ` ${(marks.get(p.t) ?? []).join('')}` : ''}"`,
  );
  const success = points.map((p) =>
    p.requests === 0 ? 0 : Math.round((100 * (p.requests - p.failures)) / p.requests),
  );
  const slowest = points.map((p) => p.slowestMs);
  const xAxis = `  x-axis "s from the fault (${width} s buckets; F fault, D detected, R recovery)" [${axis.join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "User load: success rate (%)"`,
    xAxis,
    '  y-axis "success %" 0 --> 100',
    `  line [${success.join(', ')}]`,
    '```',
    '',
    '```mermaid',
    'xychart-beta',
    `  title "User load: slowest response (ms)"`,
    xAxis,
    `  y-axis "ms" 0 --> ${Math.max(10, ...slowest)}`,
    `  bar [${slowest.join(', ')}]`,
    '```',
  ].join('\n');
}

function chartSection(journal: Journal, level: string): string[] {
  const chart = timelineChart(journal);
  return chart ? [`${level} Timeline chart`, '', chart, ''] : [];
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
