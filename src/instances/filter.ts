import { InputError, errorMessage } from '../errors.ts';
import type { Instance } from './schema.ts';

/** Every given criterion must hold; an absent or empty one selects everything. */
export interface InstanceFilter {
  /** Exact instance ids; asking for an id that is not loaded is an error (usually a typo). */
  readonly ids?: readonly string[];
  /** Exact repository names, e.g. `django/django`. */
  readonly repos?: readonly string[];
  /** A regular expression searched in instance_id (not anchored). */
  readonly idPattern?: string | RegExp;
}

/** Keeps the instances matching every criterion, in their loaded order. */
export function filterInstances(instances: readonly Instance[], filter: InstanceFilter): Instance[] {
  const ids = filter.ids && filter.ids.length > 0 ? new Set(filter.ids) : undefined;
  const repos = filter.repos && filter.repos.length > 0 ? new Set(filter.repos) : undefined;
  const pattern = filter.idPattern === undefined ? undefined : compilePattern(filter.idPattern);
  if (ids) {
    const known = new Set(instances.map((instance) => instance.instance_id));
    const unknown = [...ids].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new InputError(`Unknown instance id${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}.`);
    }
  }
  return instances.filter(
    (instance) =>
      (!ids || ids.has(instance.instance_id)) &&
      (!repos || repos.has(instance.repo)) &&
      (!pattern || pattern.test(instance.instance_id)),
  );
}

/** The instance with this id, or an InputError saying it is not among those loaded. */
export function findInstance(instances: readonly Instance[], instanceId: string): Instance {
  const found = instances.find((instance) => instance.instance_id === instanceId);
  if (!found) throw new InputError(`No instance ${instanceId} among the ${instances.length} loaded.`);
  return found;
}

function compilePattern(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new InputError(`Invalid instance id pattern ${JSON.stringify(pattern)}: ${errorMessage(err)}.`);
  }
}
