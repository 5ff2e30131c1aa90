import type { CommandModule } from 'yargs';
import { compareCommand } from './compare.ts';
import { doctorCommand } from './doctor.ts';
import { execCommand } from './exec.ts';
import { expectedCommand } from './expected.ts';
import { gradeCommand } from './grade.ts';
import { imagesCommand } from './images.ts';
import { importCommand } from './import.ts';
import { reapCommand } from './reap.ts';
import { reportCommand } from './report.ts';
import { runOneCommand } from './run-one.ts';
import { runCommand } from './run.ts';
import { simServerCommand } from './sim-server.ts';
import { validateCommand } from './validate.ts';
import { statsCommand } from './stats.ts';

/** Every CLI command, one module each under src/cli/commands/. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  runCommand,
  runOneCommand,
  doctorCommand,
  imagesCommand,
  execCommand,
  reapCommand,
  gradeCommand,
  simServerCommand,
  expectedCommand,
  importCommand,
  statsCommand,
  validateCommand,
  reportCommand,
  compareCommand,
];
