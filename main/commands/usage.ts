// The help text: one place that lists every public command (README.md, Command line). Each command
// prints its own detail with `vigil <command> --help`.
export function usageText(): string {
  return `Usage: vigil <command> [options]

Commands:
  scan <folder…> [--json]            Read folders once and report plans, stubs and work orders
  watch <folder…> [--json]           Print the snapshot, then every change (NDJSON with --json)
  serve [folder…] [--port N|0] [--host H] [--max-clients N] [--max-per-token N] [--no-token-print] [--config-dir D]
                                     Run the engine and the web UI headless
  demo [--port N|0] [--host H] [--seed N]
                                     Serve a temporary workspace with a simulated agent
  discover <folder> [--json] [--max-depth N]
                                     List projects under a folder by their planning files
  token list [--json] | create [--scope read|control] [--label L] | revoke <id>
                                     Manage access tokens for the web UI and API
  run <folder> <actionId> [--item ID] [--follow]
                                     Run an action on a project or one of its items
  runs [--active] [--json]           List the runs Vigil started
  action list [folder] | add | remove <id> | trust <folder>
                                     Manage the commands Vigil may run

Options:
  -h, --help                         Show this help (or a command's, after its name)
  -v, --version                      Show the version
`;
}
