"""The committee as its configuration describes it: members and substitutes, operations, meetings
and their deadlines, and the ``[oep]`` section. Read once at start-up and checked in Swedish."""
