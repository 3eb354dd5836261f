"""The work after the webhook's answer: the durable jobs, their registry and Swedish labels, the
worker that runs them, and the jobs that file, deliver and mail."""
