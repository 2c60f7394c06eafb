// The help text: one place that lists every public command (DESIGN.md §5b).
export function usageText(): string {
  return `Usage: vigil <command> [options]

Commands:
  scan <folder…> [--json]            Read folders once and report plans, stubs and work orders
  watch <folder…> --json             Print the snapshot, then every change as NDJSON
  serve [folder…] [--port N|0] [--host H] [--no-token-print]
                                     Run the engine and the web UI headless
  demo                               Serve a temporary workspace with a simulated agent
  discover <folder>                  List projects under a folder by their planning files
  token list | create [--scope read|control] | revoke <id>
                                     Manage access tokens for the web UI and API

Options:
  -h, --help                         Show this help
  -v, --version                      Show the version
`;
}
