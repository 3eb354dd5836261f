"""Filing a meeting's reports: safe names, the meeting folder, index.json and delivery."""
