// The runbook convention (observability/runbooks/README.md): every alert's
// runbook_url is the path of its page from the repository root, and every page
// has the four sections of prometheus-operator/runbooks.

/** The sections every runbook has, in this order, as `## <name>` headings. */
export const RUNBOOK_SECTIONS = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation'] as const;

/** The folder of the runbooks, from the repository root. */
export const RUNBOOKS_PATH = 'observability/runbooks';

/** The runbook_url an alert must carry: a repository-relative path, right in every fork. */
export function runbookUrl(alertname: string): string {
  return `${RUNBOOKS_PATH}/${alertname}.md`;
}

/**
 * What is wrong with a runbook page, or [] when nothing is: its title must be the
 * alert's name, and the four sections must be there, in order, each with some text.
 */
export function runbookProblems(alertname: string, markdown: string): string[] {
  const problems: string[] = [];
  const title = markdown.match(/^# (.+)$/m)?.[1]?.trim();
  if (title !== alertname) problems.push(`title is "${title ?? ''}", expected "# ${alertname}"`);
  const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((match) => match[1]?.trim() ?? '');
  const found = headings.filter((heading) =>
    (RUNBOOK_SECTIONS as readonly string[]).includes(heading),
  );
  if (found.join() !== RUNBOOK_SECTIONS.join()) {
    problems.push(
      `sections are [${found.join(', ')}], expected [${RUNBOOK_SECTIONS.join(', ')}] in that order`,
    );
  }
  for (const section of RUNBOOK_SECTIONS) {
    const body = markdown.split(new RegExp(`^## ${section}$`, 'm'))[1]?.split(/^## /m)[0];
    if (body !== undefined && body.trim() === '') problems.push(`section ${section} is empty`);
  }
  return problems;
}
