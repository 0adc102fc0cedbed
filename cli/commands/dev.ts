import type { Command } from 'commander';
import { examples } from '../format.ts';

export function registerDev(program: Command): void {
  program
    .command('dev')
    .summary('Run every registered job locally (npm start)')
    .description('Run every registered job locally: the same program as `npm start`, same options')
    .argument('[options...]', 'options of npm start (see bgjobs dev --help)')
    // Every option, --help included, belongs to `npm start`'s program.
    .helpOption(false)
    .allowUnknownOption()
    .addHelpText(
      'after',
      examples([
        'bgjobs dev',
        'bgjobs dev --fresh',
        'bgjobs dev --in-memory --sqs-port 0 --events-port 0 --lambda-port 0',
        'bgjobs --stack demo dev   # queues named demo-<job>',
      ]),
    )
    .action(async (args: string[], _options, command: Command) => {
      const { stack } = command.optsWithGlobals<{ stack: string }>();
      const stackArgs = args.includes('--stack-name') ? [] : ['--stack-name', stack];
      const { main } = await import('../../local/cli.ts');
      await main([...args, ...stackArgs]);
      // The runtime runs until Ctrl-C, which main() handles and exits on.
      await new Promise(() => {});
    });
}
