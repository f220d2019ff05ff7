import { readFileSync } from 'node:fs';

import { CONNECTOR_COMMANDS_STREAM } from '@mailkeep/contracts';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

import { CATALOG_INGEST_DURABLE } from '../../apps/catalog/src/ingest/archived-events.handler.js';
import { type ExportedMetric, exportedMetrics } from './exported-metrics.js';

/**
 * Metrics (issue 22, item 6): the table of docs/metrics.md, the Grafana dashboard and the alert
 * rules use only metrics and labels the services' code registers, and the table lists them all.
 */
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const exported = new Map(exportedMetrics().map((metric) => [metric.name, metric]));
const ours = [...exported.values()].filter((metric) => metric.name.startsWith('mailkeep_'));

const dashboard = JSON.parse(read('deploy/grafana/mailkeep.json')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};
const alerts = parse(read('deploy/prometheus/alerts.yaml')) as {
  groups: { name: string; rules: { alert: string; expr: string; labels: object; annotations: object }[] }[];
};
const queries = [
  ...dashboard.panels.flatMap((panel) =>
    panel.targets.map((target) => ({ where: panel.title, expr: target.expr })),
  ),
  ...alerts.groups.flatMap((group) => group.rules.map((rule) => ({ where: rule.alert, expr: rule.expr }))),
];

/** The exported metric a series name in a query belongs to (a histogram's _bucket, _sum, _count). */
function metricOf(series: string): ExportedMetric | undefined {
  const histogram = /^(.*)_(bucket|sum|count)$/.exec(series);
  const base = histogram ? exported.get(histogram[1] as string) : undefined;
  return base?.type === 'histogram' ? base : exported.get(series);
}

describe('docs/metrics.md', () => {
  const rows = read('docs/metrics.md')
    .split('\n')
    .filter((line) => line.startsWith('| `mailkeep_'))
    // Cells are split on the pipes that are not escaped (`a\|b` inside a cell).
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

  it('lists every metric the services export, with its type and labels, and no other', () => {
    expect(rows.map(([name]) => name?.replaceAll('`', '')).sort()).toEqual(ours.map((m) => m.name).sort());
    for (const [name = '', type, labels = ''] of rows) {
      const metric = exported.get(name.replaceAll('`', ''));
      expect(type, name).toBe(metric?.type);
      const listed = labels === '—' ? [] : labels.split(', ').map((label) => label.replaceAll('`', ''));
      expect(listed, name).toEqual(metric?.labels.filter((label) => label !== 'service'));
    }
  });
});

describe('the Grafana dashboard and the Prometheus alert rules', () => {
  it('cover throughput, failures, throttling, task durations, queue lag, ingest lag and HTTP latency', () => {
    const used = new Set(
      queries.flatMap(({ expr }) =>
        [...expr.matchAll(/\b(mailkeep_\w+)/g)].map((m) => metricOf(m[1] as string)?.name),
      ),
    );
    expect([...used].filter(Boolean).sort()).toEqual(ours.map((metric) => metric.name).sort());
    expect(alerts.groups[0]?.rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'MailkeepQueueLagGrowing',
        'MailkeepRunsFailing',
        'MailkeepThrottled',
        'MailkeepIntegrityMismatch',
      ]),
    );
  });

  it('query only metrics and labels the services export', () => {
    for (const { where, expr } of queries) {
      const series = [...expr.matchAll(/\b((?:mailkeep|process|nodejs)_\w+)(\{[^}]*\})?/g)];
      expect(series.length, where).toBeGreaterThan(0);
      const labelsInExpr = new Set<string>(['le']);
      for (const [, name = '', selector] of series) {
        const metric = metricOf(name);
        expect(metric, `${where}: ${name}`).toBeDefined();
        const labels = [...(metric?.labels ?? []), ...(metric?.type === 'histogram' ? ['le'] : [])];
        for (const label of labels) labelsInExpr.add(label);
        for (const [, label] of (selector ?? '').matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) {
          expect(labels, `${where}: ${name}{${label}}`).toContain(label);
        }
      }
      for (const [, grouping = ''] of expr.matchAll(/\bby \(([^)]*)\)/g)) {
        for (const label of grouping.split(',').map((l) => l.trim())) {
          expect([...labelsInExpr], `${where}: by (${label})`).toContain(label);
        }
      }
    }
  });

  it('name the real stream and consumers in their selectors', () => {
    const values = queries.flatMap(({ expr }) =>
      [...expr.matchAll(/(stream|consumer)="([^"]+)"/g)].map((m) => [m[1], m[2]]),
    );
    expect(values.length).toBeGreaterThan(3);
    for (const [label, value] of values) {
      expect(value).toBe(label === 'stream' ? CONNECTOR_COMMANDS_STREAM.name : CATALOG_INGEST_DURABLE);
    }
  });

  it('give every alert a severity and a summary', () => {
    for (const rule of alerts.groups.flatMap((group) => group.rules)) {
      expect(rule.labels, rule.alert).toHaveProperty('severity');
      expect(rule.annotations, rule.alert).toHaveProperty('summary');
    }
  });
});
