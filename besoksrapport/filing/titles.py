"""The titles of a meeting's documents: headings in docgen, file names and index.json here."""

# The Förteckning's heading, and the shorter title its file is named by.
LISTING_TITLE = "Förteckning över återrapporterade verksamhetsbesök"
LISTING_FILE_TITLE = "Förteckning över återrapporter"
# The bundle of the Förteckning and every report, heading and file name alike.
BUNDLE_TITLE = "Samtliga återrapporter"
