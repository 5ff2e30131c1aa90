import type { Logger } from 'pino';
import { InputError } from '../errors.ts';
import type { Instance } from '../instances/schema.ts';
import { simPlayable, type SimDefault } from '../sim/default-spec.ts';
import { faultsSchema, type Faults } from '../sim/faults.ts';
import { quirksSchema, type Quirks } from '../sim/quirks.ts';
import type { SimShift } from '../sim/shift.ts';
import { instanceHeader, seedHeader, startSimServer, type SimServer } from '../sim/server.ts';
import type { TurnOptions } from './types.ts';

/** One in-process server per fault and quirk setting, started on first use and shared by every sim model of the process. */
const servers = new Map<string, Promise<SimServer>>();

/**
 * The loopback server `--model sim` talks to, with the given instances' specs loaded (the default spec, in the
 * `simDefault` mix, for those without one). Every instance must have a spec or a gold patch, so that a run fails
 * at the start rather than on its first turn.
 */
export async function sharedSimServer(
  instances: readonly Instance[],
  settings: {
    faults?: Faults | undefined;
    quirks?: Quirks | undefined;
    simDefault?: SimDefault | undefined;
    shift?: SimShift | undefined;
  },
  log: Logger,
): Promise<SimServer> {
  if (instances.length === 0) throw new InputError('The sim model needs the instances it will be asked about.');
  const missing = instances.filter((i) => !simPlayable(i)).map((i) => i.instance_id);
  if (missing.length > 0) {
    const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
    throw new InputError(
      `The sim model cannot play instances with neither a \`sim\` spec nor a gold patch: ${missing.slice(0, 3).join(', ')}${more}.`,
    );
  }
  const faults = faultsSchema.parse(settings.faults ?? {});
  const quirks = quirksSchema.parse(settings.quirks ?? {});
  const { simDefault, shift } = settings;
  const key = JSON.stringify({ faults, quirks, simDefault, shift });
  let server = servers.get(key);
  if (!server) {
    server = startSimServer({
      instances,
      faults,
      quirks,
      ...(simDefault ? { simDefault } : {}),
      shift,
      log: log.child({ component: 'sim-server' }),
      unref: true,
    });
    servers.set(key, server);
    server.catch(() => servers.delete(key));
    return server;
  }
  const running = await server;
  const unseen = instances.filter((i) => !running.hasInstance(i.instance_id));
  if (unseen.length > 0) await running.addInstances(unseen);
  return running;
}

/** Closes every in-process sim server (tests, and a CLI that wants a clean exit). */
export async function closeSharedSimServers(): Promise<void> {
  const all = [...servers.values()];
  servers.clear();
  await Promise.all(all.map(async (s) => (await s).close().catch(() => undefined)));
}

/** The instance and seed reach the simulated agent as headers. */
export function simTurnHeaders(opts: TurnOptions): Record<string, string> {
  return {
    ...(opts.instanceId === undefined ? {} : { [instanceHeader]: opts.instanceId }),
    [seedHeader]: String(opts.seed ?? 0),
  };
}

/** The shift of a `--model sim` from its options (simDrift, simDriftFrom), if any. */
export function simShiftOf(options: {
  simDrift?: number | undefined;
  simDriftFrom?: number | undefined;
}): SimShift | undefined {
  return options.simDrift === undefined ? undefined : { drift: options.simDrift, from: options.simDriftFrom };
}
