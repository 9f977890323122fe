import type { Project, ProjectState } from '../model';
import { fail, intParam, json, type GerritHandler } from './context';

const STATES: ProjectState[] = ['ACTIVE', 'READ_ONLY', 'HIDDEN'];
const TYPES = ['ALL', 'CODE', 'PERMISSIONS'];

/** ProjectInfo: `state` is left out for ACTIVE projects, as Gerrit does. */
function projectInfo(project: Project, description: boolean): Record<string, unknown> {
  return {
    id: encodeURIComponent(project.name),
    ...(description && project.description ? { description: project.description } : {}),
    ...(project.state !== 'ACTIVE' ? { state: project.state } : {}),
  };
}

/**
 * List Projects (rest-api-projects.txt): a map of name to ProjectInfo, sorted by name.
 * p (prefix), r (regex) and m (substring) exclude each other; n limits, S skips; d adds
 * descriptions; each b keeps projects having that branch and shows its tip; state filters
 * by state (HIDDEN ones only appear when asked for, or with `all`); type ALL, CODE or
 * PERMISSIONS.
 */
export const listProjects: GerritHandler = (request) => {
  const { query } = request;
  const matchers = ['p', 'r', 'm'].filter((key) => query.has(key));
  if (matchers.length > 1) throw fail(400, 'specify exactly one of p/m/r');
  const state = query.get('state');
  if (state !== null && !STATES.includes(state as ProjectState)) {
    throw fail(400, `"${state}" is not a valid value for "--state"`);
  }
  const type = (query.get('type') ?? 'ALL').toUpperCase();
  if (!TYPES.includes(type)) throw fail(400, `"${type}" is not a valid value for "--type"`);
  let regex: RegExp | undefined;
  if (query.has('r')) {
    try {
      regex = new RegExp(`^(?:${query.get('r') ?? ''})$`);
    } catch {
      throw fail(400, `Invalid regular expression: ${query.get('r')}`);
    }
  }
  const limit = intParam(query.get('n') ?? query.get('limit'), Number.MAX_SAFE_INTEGER, 'n');
  const start = intParam(query.get('S') ?? query.get('start'), 0, 'S');
  const branches = query.getAll('b');
  const prefix = query.get('p');
  const substring = query.get('m')?.toLowerCase();
  const matching = request.data.projects
    .filter((project) =>
      state ? project.state === state : project.state !== 'HIDDEN' || query.has('all'),
    )
    .filter((project) =>
      type === 'CODE'
        ? !project.permissionsOnly
        : type === 'PERMISSIONS'
          ? project.permissionsOnly
          : true,
    )
    .filter((project) => prefix === null || project.name.startsWith(prefix))
    .filter((project) => substring === undefined || project.name.toLowerCase().includes(substring))
    .filter((project) => regex === undefined || regex.test(project.name))
    .filter((project) => branches.every((branch) => branch in project.branches))
    .sort((a, b) => a.name.localeCompare(b.name));
  return json(
    Object.fromEntries(
      matching.slice(start, start + limit).map((project) => [
        project.name,
        {
          ...projectInfo(project, query.has('d')),
          ...(branches.length > 0
            ? { branches: Object.fromEntries(branches.map((b) => [b, project.branches[b]])) }
            : {}),
        },
      ]),
    ),
  );
};

/** Get Project: ProjectInfo with name and parent. */
export const getProject: GerritHandler = (request) => {
  const name = request.params.project ?? '';
  const project = request.data.projects.find((candidate) => candidate.name === name);
  if (!project) throw fail(404, `Not found: ${name}`);
  return json({
    ...projectInfo(project, true),
    name: project.name,
    ...(project.parent ? { parent: project.parent } : {}),
  });
};
