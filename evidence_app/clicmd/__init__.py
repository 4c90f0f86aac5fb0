"""Command-line subcommands, one module per area; cli.py builds the parser from them."""
