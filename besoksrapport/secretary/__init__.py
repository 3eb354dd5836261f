"""The secretary's tasks, shared by the commands and the web page: overviews, moves, the
meeting's files, waiting work, exports, diarienummer and local accounts."""
