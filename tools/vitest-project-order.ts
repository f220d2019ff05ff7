import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Which project's files start first when every project shares one pool of workers: the fault
 * files are the longest and mostly wait (leases, restarts), so they start at once and the
 * end-to-end files fill the cores beside them; the many short unit files come last and fill the
 * gaps while the last long files finish. Unknown projects go after these.
 */
const PROJECT_ORDER = ['faults', 'e2e', 'integration', 'unit'];

const rankOf = (spec: TestSpecification) => {
  const rank = PROJECT_ORDER.indexOf(spec.project.name);
  return rank === -1 ? PROJECT_ORDER.length : rank;
};

/**
 * Vitest's own order within a project (failed first, then longest by the last run's durations,
 * else largest file first), with the projects in PROJECT_ORDER instead of by name.
 */
export class ProjectOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: each project keeps the order Vitest gave its files.
    return sorted.sort((a, b) => rankOf(a) - rankOf(b));
  }
}
