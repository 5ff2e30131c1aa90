import type { Instance } from '../instances/schema.ts';
import { simPlayable, simSpecFor, type SimDefault } from './default-spec.ts';
import type { LoadedSimSpec } from './spec-load.ts';

export type Resolution = { readonly spec: LoadedSimSpec } | { readonly status: 400 | 404; readonly message: string };

/** The instances a sim server can play, with their loaded specs. */
export class SimRegistry {
  private readonly specs = new Map<string, LoadedSimSpec>();
  private readonly problems = new Map<string, string>();

  /** `mix`: the default spec's, for instances with a gold patch and no spec of their own. */
  constructor(private readonly mix?: SimDefault) {}

  /** Loads the spec of every instance that can be played; throws on the first bad spec. */
  async add(instances: readonly Instance[]): Promise<{ loaded: string[]; skipped: string[] }> {
    const loaded: string[] = [];
    const skipped: string[] = [];
    for (const instance of instances) {
      if (!simPlayable(instance)) {
        skipped.push(instance.instance_id);
        this.problems.set(
          instance.instance_id,
          `Instance ${instance.instance_id} has neither a \`sim\` spec nor a gold patch.`,
        );
        continue;
      }
      this.specs.set(instance.instance_id, await simSpecFor(instance, this.mix));
      this.problems.delete(instance.instance_id);
      loaded.push(instance.instance_id);
    }
    return { loaded, skipped };
  }

  get size(): number {
    return this.specs.size;
  }

  get(instanceId: string): LoadedSimSpec | undefined {
    return this.specs.get(instanceId);
  }

  /**
   * The instance named by the header; else the longest instance id that appears in the first user message; else
   * the instance whose problem statement opens inside it; else the only one there is.
   */
  resolve(header: string | undefined, firstUserText: string): Resolution {
    if (header !== undefined) {
      const spec = this.specs.get(header);
      if (spec) return { spec };
      return {
        status: 404,
        message: this.problems.get(header) ?? `Unknown instance ${header}: the sim server has no spec for it.`,
      };
    }
    let best: LoadedSimSpec | undefined;
    for (const [id, spec] of this.specs)
      if (firstUserText.includes(id) && id.length > (best?.instanceId.length ?? 0)) best = spec;
    if (best) return { spec: best };
    const text = squash(firstUserText);
    for (const spec of this.specs.values()) {
      const statement = squash(spec.problemStatement).slice(0, 300);
      if (statement && text.includes(statement)) return { spec };
    }
    if (this.specs.size === 1) return { spec: this.specs.values().next().value as LoadedSimSpec };
    return {
      status: 400,
      message:
        'Cannot tell which instance this conversation is about: send the x-hotmess-instance header, or put the instance id or problem statement in the first user message.',
    };
  }
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
