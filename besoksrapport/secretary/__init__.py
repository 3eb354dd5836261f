"""The secretary's tasks, shared by the commands and the web page: overviews, moves, the
meeting's files, waiting work, exports, diarienummer, local accounts, the audit trail,
«hanterad» marks, refused deliveries, deadlines, the meeting's table, a politician's
history and gallring."""
