"""The form the platform renders and what a delivery must satisfy: the JSON Schemas, the fast
pre-check, validation with its Swedish messages, and the rules JSON Schema cannot say."""
