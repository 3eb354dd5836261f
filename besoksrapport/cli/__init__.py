"""The ``besoksrapport`` command: the Swedish parser, one module per subcommand in
``commands/``, and the notices a secretary sees instead of log lines."""
