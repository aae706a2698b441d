import packageJson from '../package.json';
import type { Command } from './commands/command';
import { demoCommand } from './commands/demo';
import { doctorCommand } from './commands/doctor';
import { installCommand } from './commands/install';
import { sandboxCommand } from './commands/sandbox';
import { sendCommand } from './commands/send';
import { validateCommand } from './commands/validate';
import { CliError, exitCodes, UsageError } from './errors';
import { formatTable, Output } from './output';
import { didYouMean } from './suggest';

const commands: Command[] = [sendCommand, validateCommand, installCommand, doctorCommand, sandboxCommand, demoCommand];

const mainHelp = () =>
  [
    `sms-connector ${packageJson.version}: try, check and install the SMS connectors of this suite for Logto`,
    '',
    'Usage: sms-connector <command> [options]',
    '',
    'Commands:',
    ...formatTable(commands.map(({ name, summary }) => [`  ${name}`, summary])),
    '',
    'Options for every command:',
    '  -h, --help     help for the command',
    '      --verbose  stack traces of unexpected errors (and the sandbox log)',
    '      --no-color plain output',
    '',
    'Run "sms-connector <command> --help" for the options of a command. Start with:',
    '  sms-connector demo',
  ].join('\n');

const run = async (argv: string[], out: Output): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined) {
    out.note(mainHelp());
    return exitCodes.usage;
  }
  if (name === '--help' || name === '-h') {
    out.print(mainHelp());
    return exitCodes.ok;
  }
  if (name === '--version' || name === '-v') {
    out.print(packageJson.version);
    return exitCodes.ok;
  }
  if (name === 'help') {
    const topic = commands.find((command) => command.name === rest[0]);
    out.print(topic ? topic.help : mainHelp());
    return rest[0] === undefined || topic ? exitCodes.ok : exitCodes.usage;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    const names = commands.map((candidate) => candidate.name);
    throw new UsageError(
      `unknown command "${name}"${didYouMean(name, names)}: use one of ${names.join(', ')}`,
      'run "sms-connector --help" for the list'
    );
  }
  return command.run(rest, out);
};

const argv = process.argv.slice(2);
const out = new Output({ verbose: argv.includes('--verbose'), noColor: argv.includes('--no-color') });

const report = (error: unknown): number => {
  if (error instanceof CliError) {
    out.note(`${out.style.red('error:')} ${error.message}`);
    if (error.hint) {
      out.note(`${out.style.dim('hint:')} ${error.hint}`);
    }
    if (out.verbose && error.stack) {
      out.note(out.style.dim(error.stack));
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  out.note(`${out.style.red('error:')} ${message.split('\n')[0]}`);
  if (out.verbose) {
    out.note(out.style.dim(error instanceof Error && error.stack ? error.stack : String(error)));
  } else {
    out.note(out.style.dim('hint: run again with --verbose for the stack trace'));
  }
  return exitCodes.failure;
};

process.on('unhandledRejection', (reason) => {
  process.exitCode = report(reason);
});

try {
  process.exitCode = await run(argv, out);
} catch (error: unknown) {
  process.exitCode = report(error);
}
