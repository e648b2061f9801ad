/**
 * The Slack answer to `/incident stats`: a header, the figures as section fields, the on-call load per person
 * and where the chart went. Pure; service names from klaxon.yml are escaped, people appear only as mentions.
 */
import type { HeaderBlock, KnownBlock } from '@slack/types';
import { context, fields, plain, section } from '../core/blockkit.ts';
import { date, escape, mention } from '../core/mrkdwn.ts';
import { SEVERITY_INFO } from '../incidents/model.ts';
import { REPORT_SEVERITIES, type StatsReport } from './report.ts';
import { figureBasis, figureValues, humanDuration, loadLine, OUT_OF_HOURS_RULE, periodLabel, plural, postmortemRate } from './wording.ts';

export interface StatsView {
  /** klaxon.yml's names of services, by id. */
  serviceNames: ReadonlyMap<string, string>;
  /** Whether the chart is on its way to the asker's DM ('dm') or was not made ('none': no incidents). */
  chart: 'dm' | 'none';
}

/** People listed by name at most; the rest are counted, which keeps the section inside Slack's 3000 characters. */
const MAX_PEOPLE = 25;
const HEADER_MAX = 150;

const severityLabel = (severity: keyof typeof SEVERITY_INFO): string => SEVERITY_INFO[severity].label.split(' ')[0]!;

function serviceName(id: string | null, names: ReadonlyMap<string, string>): string {
  return id === null ? 'no service' : (names.get(id) ?? id);
}

export function statsBlocks(report: StatsReport, view: StatsView): { text: string; blocks: KnownBlock[] } {
  const scope = report.serviceId === null ? '' : `${serviceName(report.serviceId, view.serviceNames)}, `;
  const title = `Incident stats: ${scope}${periodLabel(report.period)}`;
  const header: HeaderBlock = { type: 'header', text: plain(title, HEADER_MAX) };
  const { incidents, mtta, mttr } = report;

  const figures = [
    `*Incidents*\n${incidents.total}`,
    `*By severity*\n${REPORT_SEVERITIES.map((s) => `${SEVERITY_INFO[s].emoji} ${severityLabel(s)}: ${incidents.bySeverity[s]}`).join('\n')}`,
    `*MTTA* (to first acknowledgement)\n${figureValues(mtta)}\n_${figureBasis(mtta, 'never acknowledged')}_`,
    `*MTTR* (to resolution)\n${figureValues(mttr)}\n_${figureBasis(mttr, 'not resolved')}_`,
    `*Post-mortems complete*\n${postmortemRate(report.postmortems)}`,
    `*Problem tickets*\n${report.problems.open} open, ${report.problems.overdue} overdue`,
    `*Recurrences*\n${plural(report.recurrences, 'incident')} like an open problem`,
    `*By service*\n${incidents.byService.length ? incidents.byService.map((s) => `${escape(serviceName(s.serviceId, view.serviceNames))}: ${s.count}`).join('\n') : 'none'}`,
  ];

  const shown = report.oncall.slice(0, MAX_PEOPLE);
  const hidden = report.oncall.length - shown.length;
  const load = report.oncall.length
    ? [...shown.map((person) => `${mention(person.userId)}: ${loadLine(person)}`), ...(hidden > 0 ? [`…and ${plural(hidden, 'more person', 'more people')}`] : [])].join('\n')
    : 'Nobody was paged.';

  const blocks: KnownBlock[] = [
    header,
    context([`${date(report.from, '{date_short}')} to ${date(report.to, '{date_short}')} · drills left out · median and p90 are nearest-rank: each is a duration that happened`]),
    fields(figures),
    section(`*On-call load*\n${load}`),
    context([`${OUT_OF_HOURS_RULE} Times are read in each person’s Slack time zone.`]),
    context([view.chart === 'dm' ? ':bar_chart: The chart of incidents per week is in your DM with Klaxon.' : 'No incidents in the period, so no chart.']),
  ];
  const text = `${title}: ${plural(incidents.total, 'incident')}, MTTA ${mtta.medianMs === null ? 'n/a' : humanDuration(mtta.medianMs)}, MTTR ${mttr.medianMs === null ? 'n/a' : humanDuration(mttr.medianMs)} (medians)`;
  return { text: escape(text), blocks };
}
