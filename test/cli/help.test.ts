import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../cli/program.ts';
import { bgjobs } from './harness.ts';

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({
    writeOut: (s) => {
      text += s;
    },
  });
  command.outputHelp();
  return text;
}

function everyCommand(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...everyCommand(sub)]);
}

describe('bgjobs help', () => {
  const program = createProgram();
  const commands = [program, ...everyCommand(program)].filter((c) => c.name() !== 'help');

  it.each(commands.map((command) => ({ name: command.name(), command })))(
    '$name shows usage, options with their defaults, and examples',
    ({ command }) => {
      const help = helpOf(command);
      expect(help).toMatch(/^Usage: bgjobs/);
      expect(help).toContain('\nExamples:\n  bgjobs ');
      const flat = help.replace(/\s+/g, ' ');
      for (const option of command.options) {
        if (option.defaultValue !== undefined) {
          expect(flat).toContain(`(default: ${JSON.stringify(option.defaultValue)}`);
        }
      }
    },
  );

  it('lists the exit codes', () => {
    expect(helpOf(program)).toMatch(
      /Exit codes:\n {2}0 +success\n {2}1 +the operation failed or partly failed .*\n {2}2 +bad input, nothing sent or changed .*\n {2}3 +the job's backlog is over its maxBacklog/,
    );
  });

  it('exits 0 for --help, and 2 for a command it does not know', async () => {
    const [help, unknown] = await Promise.all([bgjobs(['--help']), bgjobs(['frobnicate'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: bgjobs \[options\] \[command\]/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("bgjobs: unknown command 'frobnicate'\n");
  });

  it('hands dev --help to the program npm start runs', async () => {
    const help = await bgjobs(['dev', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--sqs-port <port>');
  });
});
